// Plan gating as plain functions: the tRPC middlewares (packages/trpc/src/gating.ts), the
// public gateway's routes and jobs call these, so a plan is enforced the same way everywhere.
//   requireFeature(scope, "team.invite")
//   requireWritable(scope)                      READ_ONLY while the organization may only read
//   holdLimit(scope, "projects", 1, fn)         count + write atomically under an advisory lock
//   consumeQuota(scope, "ai.tasks", 1)          one atomic upsert on the period's counter
// Every refusal is built by planRefusal: an AppError whose data names what was refused, the
// current use and limit, and the cheapest plan of the product's catalog that lifts it.
import { AppError } from "@plinth/core/errors";
import type { Clock } from "@plinth/core/scope";
import { holdTransaction, type TenantDb, type TransactionClient } from "@plinth/db";
import { withinLimit, type Catalog, type Plan } from "./catalog.ts";
import type { Entitlements } from "./entitlements.ts";
import { recordUsage } from "./usage-counters.ts";

/** Counts one limited resource of an organization (declared by the module that owns it). */
export interface LimitCounter {
  count(tx: TransactionClient, organizationId: string, now: Date): Promise<number>;
}

/** What gating needs of the product: its catalog and a counter per declared limit. */
export interface BillingProduct {
  readonly catalog: Catalog;
  readonly limits: Readonly<Record<string, LimitCounter>>;
}

/**
 * Enough to refuse: which plan the organization is on, the catalog to upgrade within and the
 * meters the modules declare (their description labels a quota refusal).
 */
export interface PlanContext {
  readonly product: {
    readonly catalog: Catalog;
    readonly meters?: Readonly<Record<string, { readonly description: string }>>;
  };
  readonly entitlements: Entitlements;
}

/** An organization's scope as gating sees it (@plinth/platform's OrgScope is one). */
export interface GatingScope extends PlanContext {
  readonly product: BillingProduct;
  readonly organization: { readonly id: string };
  readonly clock: Clock;
  readonly db: TenantDb;
}

export type Refusal =
  | { kind: "feature"; feature: string }
  /** `current` in use and `adding` more would exceed the plan's limit. */
  | { kind: "limit"; limit: string; current: number; adding: number }
  | { kind: "quota"; meter: string; used: number; included: number }
  | { kind: "readOnly" };

/** The one refusal builder: what was refused and the cheapest plan that lifts it. */
export function planRefusal(context: PlanContext, refusal: Refusal): AppError {
  const { entitlements } = context;
  const currentPlan = entitlements.plan.key;
  const upgrade = (satisfies: (plan: Plan) => boolean) => {
    const plan = context.product.catalog.cheapestPlanWhere(satisfies);
    return plan ? { planKey: plan.key, planName: plan.name } : null;
  };
  switch (refusal.kind) {
    case "feature":
      return new AppError({
        code: "FEATURE_NOT_IN_PLAN",
        feature: refusal.feature,
        currentPlan,
        upgrade: upgrade((plan) => plan.features[refusal.feature] === true),
      });
    case "limit": {
      const wanted = refusal.current + refusal.adding;
      return new AppError({
        code: "PLAN_LIMIT_REACHED",
        limit: refusal.limit,
        current: refusal.current,
        max: entitlements.limits[refusal.limit] ?? refusal.current,
        currentPlan,
        // null is "unlimited" (not 0): a plan without the key does not lift the limit.
        upgrade: upgrade((plan) => {
          const limit = plan.limits[refusal.limit];
          return limit !== undefined && withinLimit(limit, wanted);
        }),
      });
    }
    case "quota":
      return new AppError({
        code: "QUOTA_EXCEEDED",
        meter: refusal.meter,
        meterLabel: context.product.meters?.[refusal.meter]?.description ?? refusal.meter,
        used: refusal.used,
        included: refusal.included,
        currentPlan,
        upgrade: upgrade((plan) => {
          const quota = plan.quotas[refusal.meter];
          return (
            quota !== undefined &&
            (quota.included === null ||
              quota.overageMicroCents !== undefined ||
              quota.included > refusal.included)
          );
        }),
      });
    case "readOnly":
      return new AppError({
        code: "READ_ONLY",
        reason: entitlements.readOnlyReason ?? "SUBSCRIPTION_INACTIVE",
        currentPlan,
        upgrade: upgrade(() => true),
      });
  }
}

export function requireFeature(context: PlanContext, feature: string): void {
  if (entitlementOf(context.entitlements.features, "feature", feature) !== true) {
    throw planRefusal(context, { kind: "feature", feature });
  }
}

/** READ_ONLY while the trial has ended or the subscription is restricted or inactive. */
export function requireWritable(context: PlanContext): void {
  if (context.entitlements.access === "read_only") throw planRefusal(context, { kind: "readOnly" });
}

/** A key the plan does not list is a wiring bug (a module's key used where it is disabled). */
function entitlementOf<T>(values: Readonly<Record<string, T>>, what: string, key: string): T {
  const value = values[key];
  if (value === undefined) {
    throw new Error(`${what} "${key}" is not declared by any module enabled in this product`);
  }
  return value;
}

/**
 * Serialises everything that counts or changes `limit` for one organization until the
 * transaction ends (holdLimit, and services that re-check a limit themselves).
 */
export async function lockLimit(
  tx: TransactionClient,
  organizationId: string,
  limit: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${organizationId}:limit:${limit}`}))`;
}

/** How many of `limit` the organization uses now, counted by the module that declares it. */
export function countLimit(
  product: BillingProduct,
  tx: TransactionClient,
  input: { organizationId: string; limit: string; now: Date },
): Promise<number> {
  const counter = entitlementOf(product.limits, "limit", input.limit);
  return counter.count(tx, input.organizationId, input.now);
}

/**
 * Inside `tx`: takes the limit's lock, counts, and refuses when `adding` more would exceed
 * the plan. Returns the current count. For services that check a limit mid-transaction.
 */
export async function checkLimit(
  scope: GatingScope,
  tx: TransactionClient,
  limit: string,
  adding: number,
): Promise<number> {
  const max = entitlementOf(scope.entitlements.limits, "limit", limit);
  const organizationId = scope.organization.id;
  await lockLimit(tx, organizationId, limit);
  const current = await countLimit(scope.product, tx, {
    organizationId,
    limit,
    now: scope.clock.now(),
  });
  if (!withinLimit(max, current + adding)) {
    throw planRefusal(scope, { kind: "limit", limit, current, adding });
  }
  return current;
}

/**
 * Runs `fn` only if adding `adding` more of `limit` stays within the plan. The count and
 * `fn`'s writes share one transaction holding the per-organization advisory lock, so two
 * concurrent creates cannot both slip under the limit: inside `fn`, the scope's
 * `db.transaction` joins it (write through that, not `db.client`). Unlimited plans run `fn`
 * as it is.
 */
export async function holdLimit<T>(
  scope: GatingScope,
  limit: string,
  adding: number,
  fn: () => Promise<T>,
): Promise<T> {
  const max = entitlementOf(scope.entitlements.limits, "limit", limit);
  if (max === null) return fn();
  return scope.db.transaction(async (tx) => {
    await checkLimit(scope, tx, limit, adding);
    return holdTransaction(scope.organization.id, tx, fn);
  });
}

/**
 * Counts `units` of `meter` against the period's quota. Plans with overage pricing never
 * refuse (usage is billed); others refuse once `included` is used up, counting nothing.
 */
export async function consumeQuota(scope: GatingScope, meter: string, units: number) {
  const quota = entitlementOf(scope.entitlements.quotas, "meter", meter);
  const cap =
    quota.included !== null && quota.overageMicroCents === undefined ? quota.included : null;
  const organizationId = scope.organization.id;
  const periodStart = scope.entitlements.periodStart;
  await scope.db.transaction(async (tx) => {
    const recorded = await recordUsage(tx, {
      organizationId,
      meter,
      quantity: units,
      periodStart,
      cap,
    });
    if (!recorded.counted && cap !== null) {
      const used =
        recorded.quantity !== undefined
          ? Number(recorded.quantity) - units
          : Number(
              (
                await tx.usageCounter.findUnique({
                  where: {
                    organizationId_meter_periodStart: { organizationId, meter, periodStart },
                  },
                  select: { quantity: true },
                })
              )?.quantity ?? 0,
            );
      // Throwing rolls back a first insert that went over the cap.
      throw planRefusal(scope, { kind: "quota", meter, used, included: cap });
    }
  });
}
