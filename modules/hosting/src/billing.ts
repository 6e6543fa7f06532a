// Workspaces as priced subscription items (docs/products/managed-hosting.md, "Billing"): each
// live workspace is one unit of its app plan's item (a bundle: one unit covers one workspace
// of each of its apps), on top of the subscription's plan, prorated when a workspace is added
// or removed. The wanted items are recomputed from the database (never incremented): the
// workspaces whose destroy has not been requested, counted inside the change's own
// transaction, while it holds the organization's workspaces lock (the limit's advisory lock),
// so concurrent changes of one organization set the items one after the other, each from the
// counts the previous one committed. The provider is called before the transaction commits:
// a refusal (no card, provider down) refuses the workspace change with it; a commit failing
// after the provider accepted leaves one unit too many, which the next change corrects.
//
// Who pays how: a paid subscription with its provider (local test mode, Stripe) carries the
// items. A trial is the trial plan's allowance (its workspaces limit: one small workspace) and
// is not charged; neither is a plan that has no provider subscription (granted without a
// checkout) — the plan's limits are the allowance there — nor a Razorpay subscription, which
// bills one plan and cannot carry items (its plan's price covers its workspaces), nor a preset
// whose catalog does not sell the items (the `all` preset).
import { recordAudit } from "@plinth/core/audit";
import { sellableAsPlan } from "@plinth/billing/catalog";
import { listSubscriptionItems, type SubscriptionItemsChange } from "@plinth/billing/items";
import * as billing from "@plinth/billing/service";
import { lockLimit } from "@plinth/billing/gating";
import type { TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import { billingServiceDeps, itemsAnswer, mapBillingErrors } from "@plinth/platform/billing";
import { HOSTING_ITEMS, itemsForWorkspaces } from "./catalogue.ts";

const HOSTING_ITEM_KEYS = new Set(HOSTING_ITEMS.map((item) => item.key));
const LIVE = new Set(["ACTIVE", "PAST_DUE", "TRIALING"]);

/** Why workspaces are not charged as items (null: they are). */
export type UnbilledReason = "trial" | "no_paid_subscription" | "plan_priced";

const system = (scope: OrgScope) =>
  scope.asSystem("hosting: the organization's subscription and its items");

/** Whether the organization's subscription carries workspace items, and if not why. */
export async function itemsBilling(scope: OrgScope): Promise<UnbilledReason | null> {
  const subscription = await system(scope).subscription.findUnique({
    where: { organizationId: scope.organization.id },
    select: {
      provider: true,
      planKey: true,
      status: true,
      currentPeriodStart: true,
      currentPeriodEnd: true,
      stripeSubscriptionId: true,
    },
  });
  const catalog = scope.product.catalog;
  if (!subscription || subscription.planKey === catalog.trialPlan.key) return "trial";
  // A preset that does not sell the items (the `all` preset): its plans' prices cover them.
  if (!HOSTING_ITEMS.every((item) => catalog.getPlan(item.key)?.itemOnly === true)) {
    return "plan_priced";
  }
  if (subscription.provider === "RAZORPAY") return "plan_priced";
  const plan = catalog.getPlan(subscription.planKey);
  const paid =
    plan !== undefined &&
    sellableAsPlan(plan) &&
    LIVE.has(subscription.status) &&
    (subscription.provider === "STRIPE"
      ? subscription.stripeSubscriptionId !== null
      : subscription.currentPeriodStart !== null && subscription.currentPeriodEnd !== null);
  return paid ? null : "no_paid_subscription";
}

/** The workspaces that are billed: not destroyed, and no destroy requested. */
function billedWorkspaces(tx: TransactionClient, organizationId: string) {
  return tx.hostingWorkspace.findMany({
    where: { organizationId, state: { not: "DESTROYED" }, runs: { none: { action: "DESTROY" } } },
    select: { app: true, size: true, plan: true, bundle: true },
  });
}

/**
 * The subscription's whole item list with the hosting items set to `hosting`: every other
 * item (the plan's own, another module's) kept as stored; the plan once if none is stored yet.
 */
async function wantedItems(scope: OrgScope, hosting: ReadonlyMap<string, number>) {
  const stored = await listSubscriptionItems(
    { system: system(scope) },
    scope.product.catalog,
    scope.organization.id,
  );
  const others = stored
    .filter((item) => !HOSTING_ITEM_KEYS.has(item.key))
    .map((item) => ({ key: item.key, quantity: item.quantity }));
  const planKey = scope.entitlements.plan.key;
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

const deps = (scope: OrgScope) => billingServiceDeps(scope, { system: system(scope) });

/**
 * Sets the organization's hosting items to its billed workspaces, inside the workspace
 * change's transaction `tx` (it takes the workspaces lock first; the caller may hold it
 * already). Nothing is sent when the items already match. Audited as billing.items_changed.
 */
export async function syncWorkspaceItems(
  scope: OrgScope,
  tx: TransactionClient,
): Promise<SubscriptionItemsChange | null> {
  if ((await itemsBilling(scope)) !== null) return null;
  const organizationId = scope.organization.id;
  await lockLimit(tx, organizationId, "workspaces");
  const counted = itemsForWorkspaces(await billedWorkspaces(tx, organizationId));
  const { items, unchanged } = await wantedItems(scope, counted);
  if (unchanged) return null;
  const change = await mapBillingErrors(() =>
    billing.setSubscriptionItems(deps(scope), { organizationId, items }),
  );
  if (change.changes.length > 0) {
    await recordAudit(tx, scope, {
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
 * What requesting (or removing) a workspace would change on the subscription now: the items
 * with one workspace more of `add` (or fewer, for `remove`), priced and prorated by the
 * provider; nothing changes. Null change when workspaces are not billed as items (the reason).
 */
export async function previewWorkspaceItems(
  scope: OrgScope,
  input: { add: { app: string; size: string; plan: string | null; bundle: string | null } },
): Promise<{ unbilledReason: UnbilledReason | null; change: SubscriptionItemsChange | null }> {
  const reason = await itemsBilling(scope);
  if (reason !== null) return { unbilledReason: reason, change: null };
  const organizationId = scope.organization.id;
  const live = await scope.db.transaction((tx) => billedWorkspaces(tx, organizationId));
  const { items } = await wantedItems(scope, itemsForWorkspaces([...live, input.add]));
  const change = await mapBillingErrors(() =>
    billing.previewSubscriptionItems(deps(scope), { organizationId, items }),
  );
  return { unbilledReason: null, change };
}

/** The change as answers show it (minor units; no provider ids): the core's answer shape. */
export function itemsChangeView(change: SubscriptionItemsChange | null) {
  return change ? itemsAnswer(change) : null;
}
