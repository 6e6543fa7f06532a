// Several priced items on one subscription (docs/billing.md, "Subscription items and
// proration"): an item is a catalog plan's flat price at the subscription's interval (a
// workspace of an app plan, a bundle) with a quantity. `setSubscriptionItems` is declarative:
// the given list is the subscription's licensed items afterwards (missing ones are removed,
// quantities changed, new ones added), prorated at `prorationDate`. The subscription's own
// plan stays among its items (its entitlements come from it): a plan change is changePlan.
// Shared here: the types every provider answers with, the checks on the wanted items, the
// stored rows (`subscription_items`) and the mirror of Stripe's items into them.
import type { SubscriptionItemModel, TransactionClient } from "@plinth/db";
import type { Catalog, Plan } from "./catalog.ts";
import type { BillingProviderName } from "./provider.ts";
import { BillingError } from "./stripe/checkout.ts";
import type { BillingDb } from "./stripe/deps.ts";
import { planFromPrice, type Interval } from "./stripe/prices.ts";

/** At most this many distinct items, and this quantity per item. */
export const MAX_SUBSCRIPTION_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 1000;

export interface SubscriptionItemWanted {
  /** A purchasable catalog plan with a flat price at the subscription's interval. */
  key: string;
  quantity: number;
}

export interface SubscriptionItemsInput {
  organizationId: string;
  items: readonly SubscriptionItemWanted[];
  /** Unix seconds within the current period; default: now. Pass a preview's value on. */
  prorationDate?: number;
}

export interface SubscriptionItemSummary {
  key: string;
  name: string;
  quantity: number;
  /** Per unit and period, minor units. */
  unitAmount: number;
}

export interface SubscriptionItemLine {
  description: string | null;
  /** Minor units; negative = credit. */
  amount: number;
  proration: boolean;
  itemKey: string | null;
  quantity: number | null;
}

export interface SubscriptionItemsChange {
  provider: BillingProviderName;
  /** false: a preview (nothing changed). */
  applied: boolean;
  interval: Interval;
  prorationDate: number;
  currency: string;
  /** The items after the change (applied) or as they would be (preview). */
  items: SubscriptionItemSummary[];
  changes: { key: string; from: number; to: number }[];
  /** The proration lines (credits for unused time, charges for the remaining period). */
  lines: SubscriptionItemLine[];
  /** Sum of the proration lines (minor units; negative = credit). */
  prorationAmount: number;
  /**
   * Charged now: Stripe (proration_behavior create_prorations) puts the prorations on the next
   * invoice, so 0; the local provider writes a test-mode invoice at once (never negative).
   */
  amountDueNow: number;
}

/** The item's plan and unit price, or a typed refusal. */
export function itemPlan(
  catalog: Catalog,
  key: string,
  interval: Interval,
): Plan & { unit: number } {
  const plan = catalog.getPlan(key);
  const unit = plan?.prices[interval];
  if (!plan?.purchasable || unit === undefined) {
    throw new BillingError(
      "PLAN_NOT_PURCHASABLE",
      `Item ${key} has no ${interval}ly price: it cannot be on this subscription`,
    );
  }
  return { ...plan, unit };
}

/** Checks the wanted list: distinct keys, sane quantities, the subscription's plan kept. */
export function checkWantedItems(
  items: readonly SubscriptionItemWanted[],
  planKey: string,
): Map<string, number> {
  if (items.length === 0 || items.length > MAX_SUBSCRIPTION_ITEMS) {
    throw new BillingError(
      "INVALID_ITEMS",
      `A subscription has between 1 and ${MAX_SUBSCRIPTION_ITEMS} items`,
    );
  }
  const wanted = new Map<string, number>();
  for (const item of items) {
    if (wanted.has(item.key)) throw new BillingError("INVALID_ITEMS", `Item ${item.key} twice`);
    if (
      !Number.isInteger(item.quantity) ||
      item.quantity < 1 ||
      item.quantity > MAX_ITEM_QUANTITY
    ) {
      throw new BillingError(
        "INVALID_ITEMS",
        `Item ${item.key}: quantity between 1 and ${MAX_ITEM_QUANTITY}`,
      );
    }
    wanted.set(item.key, item.quantity);
  }
  if (!wanted.has(planKey)) {
    throw new BillingError(
      "INVALID_ITEMS",
      `The subscription's plan (${planKey}) stays among its items: change the plan instead`,
    );
  }
  return wanted;
}

/** The quantity changes from `current` to `wanted` (keys in a stable order). */
export function itemChanges(
  current: ReadonlyMap<string, number>,
  wanted: ReadonlyMap<string, number>,
): { key: string; from: number; to: number }[] {
  const keys = [...new Set([...current.keys(), ...wanted.keys()])].sort();
  return keys
    .map((key) => ({ key, from: current.get(key) ?? 0, to: wanted.get(key) ?? 0 }))
    .filter((change) => change.from !== change.to);
}

export const itemSummary = (
  catalog: Catalog,
  row: { itemKey: string; quantity: number; unitAmount: number },
): SubscriptionItemSummary => ({
  key: row.itemKey,
  name: catalog.getPlan(row.itemKey)?.name ?? row.itemKey,
  quantity: row.quantity,
  unitAmount: row.unitAmount,
});

/** The stored items of the organization's subscription, by key. */
export async function listSubscriptionItems(
  db: BillingDb,
  catalog: Catalog,
  organizationId: string,
): Promise<SubscriptionItemSummary[]> {
  const rows = await db.system.subscriptionItem.findMany({
    where: { organizationId },
    orderBy: { itemKey: "asc" },
    select: { itemKey: true, quantity: true, unitAmount: true },
  });
  return rows.map((row) => itemSummary(catalog, row));
}

export interface StripeItemLike {
  id: string;
  quantity?: number | null | undefined;
  price: {
    id: string;
    lookup_key: string | null;
    metadata: Record<string, string> | null;
    unit_amount?: number | null | undefined;
    recurring: { usage_type: "licensed" | "metered" } | null;
  };
}

/**
 * Mirrors a Stripe subscription's licensed items into subscription_items (inside the sync's
 * transaction): one row per plan-priced item, rows of removed items deleted. Writing the same
 * state twice changes nothing, so a replayed or out-of-order event converges. Returns how many
 * rows were inserted, updated or deleted.
 */
export async function mirrorStripeItems(
  tx: TransactionClient,
  catalog: Catalog,
  target: { organizationId: string; subscriptionId: string },
  stripeItems: readonly StripeItemLike[],
): Promise<number> {
  const desired = new Map<
    string,
    { quantity: number; unitAmount: number; providerItemId: string; providerPriceId: string }
  >();
  for (const item of stripeItems) {
    if (item.price.recurring?.usage_type !== "licensed") continue;
    const key = planFromPrice(catalog, item.price);
    if (!key) continue;
    const previous = desired.get(key);
    desired.set(key, {
      quantity: (previous?.quantity ?? 0) + (item.quantity ?? 1),
      unitAmount: item.price.unit_amount ?? 0,
      providerItemId: item.id,
      providerPriceId: item.price.id,
    });
  }
  const existing: SubscriptionItemModel[] = await tx.subscriptionItem.findMany({
    where: { subscriptionId: target.subscriptionId },
  });
  let written = 0;
  const stale = existing.filter(
    (row) => desired.get(row.itemKey)?.providerItemId !== row.providerItemId,
  );
  if (stale.length > 0) {
    // Removed items, and items whose Stripe id changed (deleted first: ids are unique).
    await tx.subscriptionItem.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
    written += stale.length;
  }
  for (const [itemKey, data] of desired) {
    const row = existing.find((r) => r.itemKey === itemKey && !stale.includes(r));
    if (
      row &&
      row.quantity === data.quantity &&
      row.unitAmount === data.unitAmount &&
      row.providerPriceId === data.providerPriceId
    ) {
      continue;
    }
    if (row) await tx.subscriptionItem.update({ where: { id: row.id }, data });
    else {
      await tx.subscriptionItem.create({
        data: {
          organizationId: target.organizationId,
          subscriptionId: target.subscriptionId,
          itemKey,
          ...data,
        },
      });
    }
    written++;
  }
  return written;
}
