// Subscription items on Stripe: the wanted list becomes one `subscriptions.update` with
// `items[]` — `{ id, quantity }` for a changed quantity, `{ id, deleted: true }` for a removed
// item, `{ price, quantity }` for a new one (the plan's flat price by lookup key) — with
// `proration_behavior: "create_prorations"` and `proration_date`. The proration is what
// Stripe's invoice preview (`invoices.createPreview` with the same items and date) shows; the
// prorations are invoiced with the next renewal. Metered items and items of prices Plinth does
// not know are left as they are. After the update the organization is re-synced (which also
// mirrors the items into subscription_items), as the webhook would.
import type Stripe from "stripe";
import {
  checkWantedItems,
  itemChanges,
  itemPlan,
  listSubscriptionItems,
  type SubscriptionItemLine,
  type SubscriptionItemsChange,
  type SubscriptionItemsInput,
} from "../items.ts";
import { BillingError, currentSubscription } from "./checkout.ts";
import { nowOf, type StripeDeps } from "./deps.ts";
import { flatLookupKey, planFromPrice, type Interval } from "./prices.ts";
import { syncStripeCustomer } from "./sync.ts";

export const ITEMS_PRORATION_BEHAVIOR = "create_prorations" as const;

interface ItemsUpdate {
  customerId: string;
  subscriptionId: string;
  interval: Interval;
  params: Stripe.SubscriptionUpdateParams.Item[];
  changes: { key: string; from: number; to: number }[];
  prorationDate: number;
  after: { key: string; quantity: number; unitAmount: number }[];
  /** Item key → its Stripe item id (current items) and price id (all). */
  known: Map<string, { itemId: string | null; priceId: string }>;
}

async function itemsUpdate(deps: StripeDeps, input: SubscriptionItemsInput): Promise<ItemsUpdate> {
  const { subscription, customerId, planKey } = await currentSubscription(
    deps,
    input.organizationId,
  );
  const wanted = checkWantedItems(input.items, planKey);
  const licensed = subscription.items.data.filter(
    (item) => item.price.recurring?.usage_type === "licensed",
  );
  const base = licensed.find((item) => planFromPrice(deps.catalog, item.price) === planKey);
  const recurring = (base ?? licensed[0])?.price.recurring?.interval;
  const interval: Interval = recurring === "year" ? "year" : "month";
  const plans = new Map(
    [...wanted.keys()].map((key) => [key, itemPlan(deps.catalog, key, interval)]),
  );
  const current = new Map<
    string,
    { id: string; priceId: string; quantity: number; unitAmount: number }
  >();
  for (const item of licensed) {
    const key = planFromPrice(deps.catalog, item.price);
    if (!key) continue;
    current.set(key, {
      id: item.id,
      priceId: item.price.id,
      quantity: item.quantity ?? 1,
      unitAmount: item.price.unit_amount ?? 0,
    });
  }
  const changes = itemChanges(
    new Map([...current].map(([key, item]) => [key, item.quantity])),
    wanted,
  );
  const added = changes.filter((change) => !current.has(change.key)).map((change) => change.key);
  const priceIds = new Map<string, string>();
  if (added.length > 0) {
    const lookupKeys = added.map((key) => flatLookupKey(key, interval));
    const { data } = await deps.stripe.prices.list({
      lookup_keys: lookupKeys,
      active: true,
      limit: 100,
    });
    for (const key of added) {
      const price = data.find((p) => p.lookup_key === flatLookupKey(key, interval));
      if (!price) {
        throw new BillingError(
          "PRICE_NOT_FOUND",
          `Missing Stripe price ${flatLookupKey(key, interval)}: run the catalog sync`,
        );
      }
      priceIds.set(key, price.id);
    }
  }
  const params: Stripe.SubscriptionUpdateParams.Item[] = changes.map((change) => {
    const item = current.get(change.key);
    if (!item) return { price: priceIds.get(change.key) ?? "", quantity: change.to };
    return change.to === 0 ? { id: item.id, deleted: true } : { id: item.id, quantity: change.to };
  });
  const after = [...wanted]
    .map(([key, quantity]) => ({
      key,
      quantity,
      unitAmount: current.get(key)?.unitAmount ?? plans.get(key)?.unit ?? 0,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const known = new Map<string, { itemId: string | null; priceId: string }>();
  for (const [key, item] of current) known.set(key, { itemId: item.id, priceId: item.priceId });
  for (const [key, priceId] of priceIds) known.set(key, { itemId: null, priceId });
  return {
    customerId,
    subscriptionId: subscription.id,
    interval,
    known,
    params,
    changes,
    prorationDate: input.prorationDate ?? Math.floor(nowOf(deps).getTime() / 1000),
    after,
  };
}

/** The item a preview line is about: its subscription item, else its price. */
function keyOfLine(update: ItemsUpdate, line: Stripe.InvoiceLineItem): string | null {
  const itemId = line.parent?.subscription_item_details?.subscription_item;
  const price = line.pricing?.price_details?.price;
  const priceId = typeof price === "string" ? price : (price?.id ?? null);
  for (const [key, known] of update.known) {
    if ((itemId && known.itemId === itemId) || (priceId && known.priceId === priceId)) return key;
  }
  return null;
}

async function preview(deps: StripeDeps, update: ItemsUpdate) {
  if (update.params.length === 0) return { currency: "usd", lines: [] as SubscriptionItemLine[] };
  const invoice = await deps.stripe.invoices.createPreview({
    customer: update.customerId,
    subscription: update.subscriptionId,
    subscription_details: {
      items: update.params,
      proration_behavior: ITEMS_PRORATION_BEHAVIOR,
      proration_date: update.prorationDate,
    },
  });
  const lines = invoice.lines.data
    .map((line) => ({
      description: line.description,
      amount: line.amount,
      proration:
        line.parent?.subscription_item_details?.proration ??
        line.parent?.invoice_item_details?.proration ??
        false,
      itemKey: keyOfLine(update, line),
      quantity: line.quantity ?? null,
    }))
    .filter((line) => line.proration);
  return { currency: invoice.currency, lines };
}

function answer(
  deps: StripeDeps,
  update: ItemsUpdate,
  previewed: { currency: string; lines: SubscriptionItemLine[] },
  applied: boolean,
  items?: SubscriptionItemsChange["items"],
): SubscriptionItemsChange {
  return {
    provider: "stripe",
    applied,
    interval: update.interval,
    prorationDate: update.prorationDate,
    currency: previewed.currency,
    items:
      items ??
      update.after.map((item) => ({
        ...item,
        name: deps.catalog.getPlan(item.key)?.name ?? item.key,
      })),
    changes: update.changes,
    lines: previewed.lines,
    prorationAmount: previewed.lines.reduce((sum, line) => sum + line.amount, 0),
    amountDueNow: 0,
  };
}

export async function previewStripeItems(
  deps: StripeDeps,
  input: SubscriptionItemsInput,
): Promise<SubscriptionItemsChange> {
  const update = await itemsUpdate(deps, input);
  return answer(deps, update, await preview(deps, update), false);
}

export async function setStripeItems(
  deps: StripeDeps,
  input: SubscriptionItemsInput,
): Promise<SubscriptionItemsChange> {
  const update = await itemsUpdate(deps, input);
  const previewed = await preview(deps, update);
  if (update.params.length > 0) {
    await deps.stripe.subscriptions.update(update.subscriptionId, {
      items: update.params,
      proration_behavior: ITEMS_PRORATION_BEHAVIOR,
      proration_date: update.prorationDate,
    });
  }
  await syncStripeCustomer(deps, {
    organizationId: input.organizationId,
    customerId: update.customerId,
  });
  const items = await listSubscriptionItems(deps.db, deps.catalog, input.organizationId);
  return answer(deps, update, previewed, true, items);
}
