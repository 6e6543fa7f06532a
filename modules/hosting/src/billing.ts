// Workspaces as priced subscription items (docs/products/managed-hosting.md, "Billing"): each
// billed workspace is one unit of its app plan's item (a bundle: one unit covers one workspace
// of each of its apps), on top of the subscription's plan, prorated when a workspace is added
// or removed. Billed (BILLED_WORKSPACES): not destroyed, no destroy requested, and not a failed
// provision (FAILED — or SUSPENDED from it — without ever having been ready); a retried one
// counts again from its retry, a failed update of a ready one still counts (it still serves).
// The wanted items are recomputed from the database (never incremented), while the change
// holds the organization's workspaces lock (the limit's advisory lock), so concurrent changes
// of one organization set the items one after the other, each from the counts the previous one
// committed.
//
// When the provider is called — a decision, kept synchronous for a tenant's change: a request,
// update, destroy or retry calls the provider inside its own transaction, before the commit. A
// refusal (no card on the local provider, a subscription Stripe will not update, the provider
// down: 412 / 503) refuses the workspace change with it, so no workspace runs unbilled, and the
// answer carries the applied change (the preview's lines at the same moment). The price: the
// transaction and the organization's lock are held over one provider round trip (bounded by
// the transaction's timeout; only that organization's changes wait — human-paced, a few a
// month), and a commit failing after the provider accepted leaves one unit too many. Where no
// tenant's request is there to refuse — a provision failing in the worker, the operator's
// retry — the change commits and enqueues hosting.syncItems in the same transaction (after
// commit: the worker recounts the committed rows and sets the items; one pending job per
// organization, idempotent). And the reconcile (reconcileWorkspaceItems, run by every
// hosting.syncAccess, every 5 minutes) is the safety net of both: every organization whose
// subscription can carry items gets them set where they differ from its billed workspaces — a
// trial's workspace once the organization has checked out (there is no billing hook for
// modules), the unit of a commit that failed, a sync job that gave up; nothing differs, no
// provider call. After-commit for a tenant's change too would free the transaction from the
// round trip and keep workspaces requestable while the provider is down, at the cost of the
// applied answer and of provisioning before the provider agreed (Stripe's create_prorations
// charges no card at the update, so what the synchronous call refuses there is an outage or a
// subscription's state). Worth it once workspace changes are machine-paced (fleets through the
// API): the request then enqueues hosting.syncItems and answers the preview — both exist.
//
// Who pays how: a paid subscription with its provider (local test mode, Stripe) carries the
// items. A trial is the trial plan's allowance (its workspaces limit: one small workspace) and
// is not charged; neither is a plan that has no provider subscription (granted without a
// checkout) — the plan's limits are the allowance there — nor a Razorpay subscription, which
// bills one plan and cannot carry items (its plan's price covers its workspaces), nor a preset
// whose catalog does not sell the items (the `all` preset).
import { recordAudit, systemAudit, type AuditSource } from "@plinth/core/audit";
import { sellableAsPlan, type Catalog } from "@plinth/billing/catalog";
import { listSubscriptionItems, type SubscriptionItemsChange } from "@plinth/billing/items";
import * as billing from "@plinth/billing/service";
import { lockLimit } from "@plinth/billing/gating";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import type { Prisma, PrismaClient, TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import { billingServiceDeps, itemsAnswer, mapBillingErrors } from "@plinth/platform/billing";
import { HOSTING_ITEMS, itemsForWorkspaces } from "./catalogue.ts";

const HOSTING_ITEM_KEYS = new Set(HOSTING_ITEMS.map((item) => item.key));
const LIVE = ["ACTIVE", "PAST_DUE", "TRIALING"] as const;

/** Why workspaces are not charged as items (null: they are). */
export type UnbilledReason = "trial" | "no_paid_subscription" | "plan_priced";

/**
 * What setting the items needs: the billing tables' system client, the catalog, the provider
 * (a request's scope or the worker's runtime) and who the audit entry names.
 */
interface ItemsContext {
  system: PrismaClient;
  catalog: Catalog;
  organizationId: string;
  deps: billing.BillingServiceDeps;
  audit: AuditSource;
}

const system = (scope: OrgScope) =>
  scope.asSystem("hosting: the organization's subscription and its items");

function scopeContext(scope: OrgScope): ItemsContext {
  return {
    system: system(scope),
    catalog: scope.product.catalog,
    organizationId: scope.organization.id,
    deps: billingServiceDeps(scope, { system: system(scope) }),
    audit: scope,
  };
}

/** Whether the catalog sells the items at all (the `all` preset's plans' prices cover them). */
const sellsItems = (catalog: Catalog) =>
  HOSTING_ITEMS.every((item) => catalog.getPlan(item.key)?.itemOnly === true);

/** Whether the organization's subscription carries workspace items (its plan), if not why. */
async function subscriptionBilling(
  ctx: Pick<ItemsContext, "system" | "catalog" | "organizationId">,
): Promise<{ reason: UnbilledReason; planKey: null } | { reason: null; planKey: string }> {
  const subscription = await ctx.system.subscription.findUnique({
    where: { organizationId: ctx.organizationId },
    select: {
      provider: true,
      planKey: true,
      status: true,
      currentPeriodStart: true,
      currentPeriodEnd: true,
      stripeSubscriptionId: true,
    },
  });
  const { catalog } = ctx;
  if (!subscription || subscription.planKey === catalog.trialPlan.key) {
    return { reason: "trial", planKey: null };
  }
  if (!sellsItems(catalog) || subscription.provider === "RAZORPAY") {
    return { reason: "plan_priced", planKey: null };
  }
  const plan = catalog.getPlan(subscription.planKey);
  const paid =
    plan !== undefined &&
    sellableAsPlan(plan) &&
    (LIVE as readonly string[]).includes(subscription.status) &&
    (subscription.provider === "STRIPE"
      ? subscription.stripeSubscriptionId !== null
      : subscription.currentPeriodStart !== null && subscription.currentPeriodEnd !== null);
  return paid
    ? { reason: null, planKey: subscription.planKey }
    : { reason: "no_paid_subscription", planKey: null };
}

/** Whether the organization's subscription carries workspace items, and if not why. */
export async function itemsBilling(scope: OrgScope): Promise<UnbilledReason | null> {
  return (await subscriptionBilling(scopeContext(scope))).reason;
}

/**
 * The billed workspaces: not destroyed, no destroy requested, and not a failed provision — a
 * workspace that never became ready (`readyAt` null) and is FAILED (or SUSPENDED from FAILED)
 * is not charged; requested anew (a retry: REQUESTED, PROVISIONING) it counts again. A failed
 * update of a workspace that was ready still counts: its database still serves.
 */
export const BILLED_WORKSPACES = {
  state: { not: "DESTROYED" },
  runs: { none: { action: "DESTROY" } },
  NOT: { readyAt: null, state: { in: ["FAILED", "SUSPENDED"] } },
} as const satisfies Prisma.HostingWorkspaceWhereInput;

function billedWorkspaces(tx: TransactionClient, organizationId: string) {
  return tx.hostingWorkspace.findMany({
    where: { organizationId, ...BILLED_WORKSPACES },
    select: { app: true, size: true, plan: true, bundle: true },
  });
}

/**
 * The subscription's whole item list with the hosting items set to `hosting`: every other
 * item (the plan's own, another module's) kept as stored; the plan once if none is stored yet.
 */
async function wantedItems(
  ctx: Pick<ItemsContext, "system" | "catalog" | "organizationId">,
  planKey: string,
  hosting: ReadonlyMap<string, number>,
) {
  const stored = await listSubscriptionItems(
    { system: ctx.system },
    ctx.catalog,
    ctx.organizationId,
  );
  const others = stored
    .filter((item) => !HOSTING_ITEM_KEYS.has(item.key))
    .map((item) => ({ key: item.key, quantity: item.quantity }));
  const kept = others.some((item) => item.key === planKey)
    ? others
    : [{ key: planKey, quantity: 1 }, ...others];
  const current = new Map(
    stored.filter((item) => HOSTING_ITEM_KEYS.has(item.key)).map((i) => [i.key, i.quantity]),
  );
  const items = [
    ...kept,
    ...[...hosting].filter(([, n]) => n > 0).map(([key, quantity]) => ({ key, quantity })),
  ];
  const unchanged =
    current.size === [...hosting.values()].filter((n) => n > 0).length &&
    [...hosting].every(([key, n]) => (current.get(key) ?? 0) === n);
  return { items, unchanged };
}

/** The wanted items from the billed workspaces `db` sees (null: not billed as items). */
async function countedItems(ctx: ItemsContext, db: TransactionClient) {
  const { planKey } = await subscriptionBilling(ctx);
  if (planKey === null) return null;
  const counted = itemsForWorkspaces(await billedWorkspaces(db, ctx.organizationId));
  return wantedItems(ctx, planKey, counted);
}

/**
 * Sets the hosting items to the billed workspaces inside `tx`: takes the workspaces lock
 * first (the caller may hold it already), recounts, and calls the provider only when the
 * items differ. Audited as billing.items_changed.
 */
async function syncItems(
  ctx: ItemsContext,
  tx: TransactionClient,
): Promise<SubscriptionItemsChange | null> {
  const { organizationId } = ctx;
  await lockLimit(tx, organizationId, "workspaces");
  const wanted = await countedItems(ctx, tx);
  if (wanted === null || wanted.unchanged) return null;
  const change = await mapBillingErrors(() =>
    billing.setSubscriptionItems(ctx.deps, { organizationId, items: wanted.items }),
  );
  if (change.changes.length > 0) {
    await recordAudit(tx, ctx.audit, {
      organizationId,
      action: "billing.items_changed",
      targetType: "subscription",
      targetId: organizationId,
      changes: {
        items: {
          from: change.changes.map((c) => `${c.key}×${c.from}`).join(", "),
          to: change.changes.map((c) => `${c.key}×${c.to}`).join(", "),
        },
        prorationAmount: { to: change.prorationAmount },
      },
    });
  }
  return change;
}

/**
 * Sets the organization's hosting items to its billed workspaces, inside the workspace
 * change's transaction `tx` (it takes the workspaces lock first; the caller may hold it
 * already). Nothing is sent when the items already match. Audited as billing.items_changed.
 */
export async function syncWorkspaceItems(
  scope: OrgScope,
  tx: TransactionClient,
): Promise<SubscriptionItemsChange | null> {
  return syncItems(scopeContext(scope), tx);
}

/** The worker's side: its system client, the product's catalog, its billing runtime. */
export interface WorkerItemsOptions {
  catalog: Catalog;
  billing: Omit<BillingRuntime, "appUrl">;
  /** The provider's clock (the proration date). */
  now: Date;
  log?: (line: string) => void;
}

function workerContext(
  prisma: PrismaClient,
  options: WorkerItemsOptions,
  organizationId: string,
  reason: string,
): ItemsContext {
  return {
    system: prisma,
    catalog: options.catalog,
    organizationId,
    deps: billing.serviceDepsFor(options.billing, {
      db: { system: prisma },
      catalog: options.catalog,
      now: () => options.now,
    }),
    audit: systemAudit(reason),
  };
}

/**
 * One organization's items set to its committed billed workspaces (the job hosting.syncItems:
 * after a provision failed, after the operator's retry). A first look without a lock; only
 * when the items differ, the locked recount and the provider call in one short transaction.
 */
export async function syncOrganizationItems(
  prisma: PrismaClient,
  options: WorkerItemsOptions,
  organizationId: string,
  reason = "hosting billing sync",
): Promise<SubscriptionItemsChange | null> {
  const ctx = workerContext(prisma, options, organizationId, reason);
  const first = await countedItems(ctx, prisma);
  if (first === null || first.unchanged) return null;
  return prisma.$transaction((tx) => syncItems(ctx, tx), { timeout: 30_000, maxWait: 10_000 });
}

export interface ReconcileItemsOutcome {
  /** Organizations whose subscription carries items. */
  checked: number;
  /** Of them, those whose items were set (they differed). */
  changed: number;
  /** Provider calls that failed (the next run tries again). */
  failed: number;
}

/**
 * The reconcile (run by hosting.syncAccess): every organization whose subscription could carry
 * items (not the trial, live, not Razorpay) and that has a workspace or a hosting item, in
 * batches by id, its items set to its billed
 * workspaces where they differ — a trial organization's workspace once it has checked out, a
 * commit that failed after the provider accepted, a sync job that gave up. Idempotent: a
 * second run finds nothing to change and calls no provider.
 */
export async function reconcileWorkspaceItems(
  prisma: PrismaClient,
  options: WorkerItemsOptions & { batchSize?: number },
): Promise<ReconcileItemsOutcome> {
  const outcome: ReconcileItemsOutcome = { checked: 0, changed: 0, failed: 0 };
  if (!sellsItems(options.catalog)) return outcome;
  const batchSize = options.batchSize ?? 100;
  let after: string | undefined;
  for (;;) {
    const batch = await prisma.subscription.findMany({
      where: {
        planKey: { not: options.catalog.trialPlan.key },
        status: { in: [...LIVE] },
        provider: { not: "RAZORPAY" },
        // Only where there is something to count or to remove.
        OR: [
          { organization: { hostingWorkspaces: { some: { state: { not: "DESTROYED" } } } } },
          { items: { some: { itemKey: { in: [...HOSTING_ITEM_KEYS] } } } },
        ],
        ...(after ? { organizationId: { gt: after } } : {}),
      },
      orderBy: { organizationId: "asc" },
      take: batchSize,
      select: { organizationId: true },
    });
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!.organizationId;
    for (const { organizationId } of batch) {
      outcome.checked += 1;
      try {
        const change = await syncOrganizationItems(
          prisma,
          options,
          organizationId,
          "hosting billing reconcile",
        );
        if (change) {
          outcome.changed += 1;
          options.log?.(
            `organization ${organizationId}: items ${change.changes.map((c) => `${c.key} ${c.from} → ${c.to}`).join(", ")}`,
          );
        }
      } catch (error) {
        outcome.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        options.log?.(`organization ${organizationId}: items not set: ${message}`);
      }
    }
    if (batch.length < batchSize) break;
  }
  return outcome;
}

/**
 * What requesting (or removing) a workspace would change on the subscription now: the items
 * with one workspace more of `add` (or fewer, for `remove`), priced and prorated by the
 * provider; nothing changes. Null change when workspaces are not billed as items (the reason).
 */
export async function previewWorkspaceItems(
  scope: OrgScope,
  input: { add: { app: string; size: string; plan: string | null; bundle: string | null } },
): Promise<{ unbilledReason: UnbilledReason | null; change: SubscriptionItemsChange | null }> {
  const ctx = scopeContext(scope);
  const subscription = await subscriptionBilling(ctx);
  if (subscription.reason !== null) return { unbilledReason: subscription.reason, change: null };
  const organizationId = scope.organization.id;
  const live = await scope.db.transaction((tx) => billedWorkspaces(tx, organizationId));
  const { items } = await wantedItems(
    ctx,
    subscription.planKey,
    itemsForWorkspaces([...live, input.add]),
  );
  const change = await mapBillingErrors(() =>
    billing.previewSubscriptionItems(ctx.deps, { organizationId, items }),
  );
  return { unbilledReason: null, change };
}

/** The change as answers show it (minor units; no provider ids): the core's answer shape. */
export function itemsChangeView(change: SubscriptionItemsChange | null) {
  return change ? itemsAnswer(change) : null;
}
