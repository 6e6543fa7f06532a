// Plan gating, declared on procedures:
//   orgProcedure.use(requireFeature("team.invite"))
//   orgProcedure.use(requireLimit("projects"))            // atomic with the handler's writes
//   orgProcedure.use(consumeQuota("ai.tasks", 1))
// Every refusal is an AppError whose data names what was refused, the current use and the
// cheapest plan that lifts it (see errors.ts), so the UI can offer the upgrade.
import type { LimitKey, MeterKey } from "@plinth/billing";
import { withinLimit } from "@plinth/billing";
import { tenantTransaction, type TransactionClient } from "@plinth/db";
import { AppError } from "../errors.ts";
import { middleware } from "../trpc.ts";
import { assertFeature, upgradeOffer, type OrgContext } from "./organization.ts";

/** Gating runs after orgProcedure; reaching it without an organization is a wiring bug. */
function orgOf(ctx: object): OrgContext["org"] {
  if (!("org" in ctx)) throw new Error("plan gating must be used on an orgProcedure");
  return (ctx as OrgContext).org;
}

export function requireFeature(feature: Parameters<typeof assertFeature>[1]) {
  return middleware(({ ctx, next }) => {
    assertFeature(orgOf(ctx).entitlements, feature);
    return next();
  });
}

/** How many of each limited resource an organization uses now. The one place that counts. */
export const LIMIT_USAGE: Record<
  LimitKey,
  (tx: TransactionClient, organizationId: string) => Promise<number>
> = {
  projects: (tx, organizationId) =>
    tx.project.count({ where: { organizationId, status: "ACTIVE" } }),
  seats: async (tx, organizationId) => {
    const [members, pending] = await Promise.all([
      tx.membership.count({ where: { organizationId } }),
      tx.invitation.count({
        where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      }),
    ]);
    return members + pending;
  },
  apiKeys: (tx, organizationId) => tx.apiKey.count({ where: { organizationId, revokedAt: null } }),
};

/**
 * Serialises everything that counts or changes `limit` for one organization until the
 * transaction ends (requireLimit, and services that re-check a limit themselves).
 */
export async function lockLimit(
  tx: TransactionClient,
  organizationId: string,
  limit: LimitKey,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${organizationId}:limit:${limit}`}))`;
}

/** Thrown inside the transaction so a failed handler rolls back; unwrapped below. */
class HandlerFailed {
  constructor(readonly result: unknown) {}
}

/**
 * Refuses when adding `adding` more of `limit` would exceed the plan. The check and the
 * handler's writes share one transaction holding a per-organization advisory lock, so two
 * concurrent creates cannot both slip under the limit. Handlers write through `ctx.tx`.
 */
export function requireLimit(limit: LimitKey, adding = 1) {
  return middleware(async ({ ctx, next }) => {
    const org = orgOf(ctx);
    const max = org.entitlements.limits[limit];
    if (max === null) return next();
    try {
      return await tenantTransaction(
        ctx.db.app,
        { organizationId: org.id, userId: ctx.user?.id },
        async (tx) => {
          await lockLimit(tx, org.id, limit);
          const current = await LIMIT_USAGE[limit](tx, org.id);
          if (!withinLimit(max, current + adding)) {
            throw new AppError({
              code: "PLAN_LIMIT_REACHED",
              limit,
              current,
              max,
              currentPlan: org.entitlements.plan.key,
              upgrade: upgradeOffer((plan) => withinLimit(plan.limits[limit], current + adding)),
            });
          }
          const result = await next({
            ctx: { tx: <T>(fn: (inner: TransactionClient) => Promise<T>) => fn(tx) },
          });
          if (!result.ok) throw new HandlerFailed(result);
          return result;
        },
      );
    } catch (error) {
      if (error instanceof HandlerFailed) return error.result as Awaited<ReturnType<typeof next>>;
      throw error;
    }
  });
}

/**
 * Counts `units` of `meter` against the period's quota before the handler runs. Plans with
 * overage pricing never refuse (usage is billed); others refuse once `included` is used up.
 * One atomic upsert: concurrent calls cannot overshoot.
 */
export function consumeQuota(meter: MeterKey, units: number) {
  return middleware(async ({ ctx, next }) => {
    const org = orgOf(ctx);
    const quota = org.entitlements.quotas[meter];
    const hardCap =
      quota.included !== null && quota.overageMicroCents === undefined ? quota.included : null;
    const periodStart = org.entitlements.periodStart;
    const key = { organizationId: org.id, meter, periodStart };
    await tenantTransaction(ctx.db.app, { organizationId: org.id }, async (tx) => {
      const rows = await tx.$queryRaw<{ quantity: bigint }[]>`
        INSERT INTO usage_counters (organization_id, meter, period_start, quantity, updated_at)
        VALUES (${org.id}, ${meter}, ${periodStart}, ${units}, now())
        ON CONFLICT (organization_id, meter, period_start) DO UPDATE
          SET quantity = usage_counters.quantity + ${units}, updated_at = now()
          WHERE ${hardCap}::bigint IS NULL OR usage_counters.quantity + ${units} <= ${hardCap}::bigint
        RETURNING quantity`;
      const after = rows[0]?.quantity;
      if (hardCap !== null && (after === undefined || Number(after) > hardCap)) {
        const counter = await tx.usageCounter.findUnique({
          where: { organizationId_meter_periodStart: key },
        });
        // Throwing rolls the increment back.
        throw new AppError({
          code: "QUOTA_EXCEEDED",
          meter,
          used: after === undefined ? Number(counter?.quantity ?? 0) : Number(after) - units,
          included: hardCap,
          currentPlan: org.entitlements.plan.key,
          upgrade: upgradeOffer((plan) => {
            const q = plan.quotas[meter];
            return q.included === null || q.overageMicroCents !== undefined || q.included > hardCap;
          }),
        });
      }
    });
    return next();
  });
}
