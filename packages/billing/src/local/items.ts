// Subscription items on the local (test-mode) provider: the proration is computed here, in
// integer minor units at the proration date (the scope's clock by default), so the same
// inputs always give the same cents. For each item key:
//   - fewer units (or removed): credit for the unused time of the removed units, at the price
//     they were bought at;
//   - more units (or added): charge for the remaining period, at the stored price for an item
//     already on the subscription, the catalog's price for a new one;
//   - amount = round-half-up(unit × units × remaining ms ÷ period ms), per line.
// Applying writes the rows and a paid test-mode invoice with those lines (nothing is charged;
// a net credit is recorded as a 0 invoice whose lines show it).
import type { SubscriptionModel as Subscription } from "@plinth/db";
import type { Catalog } from "../catalog.ts";
import {
  checkWantedItems,
  itemChanges,
  itemPlan,
  itemSummary,
  type SubscriptionItemLine,
  type SubscriptionItemsChange,
  type SubscriptionItemsInput,
} from "../items.ts";
import { recordLocalInvoice } from "../invoices.ts";
import { BillingError } from "../stripe/checkout.ts";
import type { BillingDb } from "../stripe/deps.ts";
import type { Interval } from "../stripe/prices.ts";
import { currentLocalPaid } from "./provider.ts";

interface StoredItem {
  itemKey: string;
  quantity: number;
  unitAmount: number;
}

/** round-half-up(amount × numerator ÷ denominator), exact for any size (BigInt). */
export function prorate(amount: number, numerator: number, denominator: number): number {
  const n = BigInt(amount) * BigInt(numerator) * 2n + BigInt(denominator);
  return Number(n / (2n * BigInt(denominator)));
}

/** The subscription's items as stored; before any were written, its plan once. */
function currentItems(
  catalog: Catalog,
  subscription: Subscription,
  interval: Interval,
  rows: StoredItem[],
): StoredItem[] {
  if (rows.length > 0) return rows;
  const unit = catalog.getPlan(subscription.planKey)?.prices[interval];
  return unit === undefined
    ? []
    : [{ itemKey: subscription.planKey, quantity: 1, unitAmount: unit }];
}

export interface LocalItemsPlan extends SubscriptionItemsChange {
  /** The rows to write when applied. */
  rows: StoredItem[];
  subscriptionId: string;
  periodEnd: Date;
}

/** What setting the items would do (pure: the subscription and its rows are given). */
export function localItemsChange(
  catalog: Catalog,
  existing: Subscription | null,
  rows: StoredItem[],
  input: Omit<SubscriptionItemsInput, "organizationId">,
  now: Date,
): LocalItemsPlan {
  const subscription = currentLocalPaid(existing);
  const interval: Interval = subscription.interval === "YEAR" ? "year" : "month";
  const wanted = checkWantedItems(input.items, subscription.planKey);
  const start = subscription.currentPeriodStart.getTime();
  const end = subscription.currentPeriodEnd.getTime();
  const prorationDate = input.prorationDate ?? Math.floor(now.getTime() / 1000);
  // Seconds, as Stripe's proration_date (a period starting mid-second admits its own second).
  if (prorationDate < Math.floor(start / 1000) || prorationDate > Math.ceil(end / 1000)) {
    throw new BillingError(
      "INVALID_ITEMS",
      "prorationDate must lie within the subscription's current period",
    );
  }
  const current = currentItems(catalog, subscription, interval, rows);
  const byKey = new Map(current.map((row) => [row.itemKey, row]));
  const changes = itemChanges(new Map(current.map((row) => [row.itemKey, row.quantity])), wanted);
  const at = Math.min(end, Math.max(start, prorationDate * 1000));
  const remaining = end - at;
  const period = Math.max(1, end - start);
  const lines: SubscriptionItemLine[] = [];
  const after: StoredItem[] = [];
  for (const [key, quantity] of wanted) {
    const stored = byKey.get(key);
    const unitAmount = stored?.unitAmount ?? itemPlan(catalog, key, interval).unit;
    after.push({ itemKey: key, quantity, unitAmount });
  }
  for (const change of changes) {
    const name = catalog.getPlan(change.key)?.name ?? change.key;
    const units = Math.abs(change.to - change.from);
    if (change.to < change.from) {
      const unit = byKey.get(change.key)?.unitAmount ?? 0;
      lines.push({
        description: `Unused time on ${units} × ${name}`,
        amount: -prorate(unit * units, remaining, period),
        proration: true,
        itemKey: change.key,
        quantity: -units,
      });
    } else {
      const unit = after.find((row) => row.itemKey === change.key)?.unitAmount ?? 0;
      lines.push({
        description: `Remaining time on ${units} × ${name}`,
        amount: prorate(unit * units, remaining, period),
        proration: true,
        itemKey: change.key,
        quantity: units,
      });
    }
  }
  const prorationAmount = lines.reduce((sum, line) => sum + line.amount, 0);
  after.sort((a, b) => a.itemKey.localeCompare(b.itemKey));
  return {
    provider: "local",
    applied: false,
    interval,
    prorationDate,
    currency: "usd",
    items: after.map((row) => itemSummary(catalog, row)),
    changes,
    lines,
    prorationAmount,
    amountDueNow: Math.max(0, prorationAmount),
    rows: after,
    subscriptionId: subscription.id,
    periodEnd: subscription.currentPeriodEnd,
  };
}

const publicPart = ({
  rows: _rows,
  subscriptionId: _id,
  periodEnd: _end,
  ...change
}: LocalItemsPlan) => change;

const storedRows = (db: Pick<BillingDb["system"], "subscriptionItem">, subscriptionId: string) =>
  db.subscriptionItem.findMany({
    where: { subscriptionId },
    select: { itemKey: true, quantity: true, unitAmount: true },
  });

export async function previewLocalItems(
  db: BillingDb,
  catalog: Catalog,
  input: SubscriptionItemsInput,
  now: Date,
): Promise<SubscriptionItemsChange> {
  const existing = await db.system.subscription.findUnique({
    where: { organizationId: input.organizationId },
  });
  const rows = existing ? await storedRows(db.system, existing.id) : [];
  return publicPart(localItemsChange(catalog, existing, rows, input, now));
}

/** Writes the items and a test-mode invoice with the proration lines (when there are any). */
export async function setLocalItems(
  db: BillingDb,
  catalog: Catalog,
  input: SubscriptionItemsInput,
  now: Date,
): Promise<SubscriptionItemsChange> {
  return db.system.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM subscriptions WHERE organization_id = ${input.organizationId} FOR UPDATE`;
    const existing = await tx.subscription.findUnique({
      where: { organizationId: input.organizationId },
    });
    const rows = existing ? await storedRows(tx, existing.id) : [];
    const plan = localItemsChange(catalog, existing, rows, input, now);
    await tx.subscriptionItem.deleteMany({
      where: {
        subscriptionId: plan.subscriptionId,
        itemKey: { notIn: plan.rows.map((row) => row.itemKey) },
      },
    });
    for (const row of plan.rows) {
      await tx.subscriptionItem.upsert({
        where: {
          subscriptionId_itemKey: { subscriptionId: plan.subscriptionId, itemKey: row.itemKey },
        },
        create: {
          organizationId: input.organizationId,
          subscriptionId: plan.subscriptionId,
          ...row,
        },
        update: { quantity: row.quantity, unitAmount: row.unitAmount },
      });
    }
    if (plan.lines.length > 0) {
      await recordLocalInvoice(tx, {
        organizationId: input.organizationId,
        amount: plan.amountDueNow,
        description: "Subscription items changed — test mode",
        periodStart: new Date(plan.prorationDate * 1000),
        periodEnd: plan.periodEnd,
        issuedAt: now,
        lines: plan.lines,
      });
    }
    return { ...publicPart(plan), applied: true };
  });
}
