// The local billing provider, used when no Stripe key is configured: plans are "bought" on
// the web app's clearly marked test-mode checkout page, which activates them immediately.
// Nothing here moves money; rows are marked provider LOCAL.
import type { SubscriptionModel as Subscription } from "@plinth/db";
import { sellableAsPlan, type Catalog, type Plan } from "../catalog.ts";
import { recordLocalInvoice } from "../invoices.ts";
import { fulfilSignUpPlan } from "../sign-up-plan.ts";
import type { BillingDb } from "../stripe/deps.ts";
import { planIntervals, type Interval } from "../stripe/prices.ts";

export class LocalBillingError extends Error {
  override readonly name = "LocalBillingError";
}

function periodEnd(start: Date, interval: Interval): Date {
  const end = new Date(start);
  if (interval === "year") end.setUTCFullYear(end.getUTCFullYear() + 1);
  else end.setUTCMonth(end.getUTCMonth() + 1);
  return end;
}

function purchasable(catalog: Catalog, planKey: string, interval: Interval): Plan {
  const plan = catalog.getPlan(planKey);
  if (!plan || !sellableAsPlan(plan) || !planIntervals(plan).includes(interval)) {
    throw new LocalBillingError(`Plan ${planKey} cannot be bought ${interval}ly`);
  }
  return plan;
}

const intervalLabel = (interval: Interval) => (interval === "year" ? "yearly" : "monthly");
export const basePrice = (plan: Plan | undefined, interval: Interval) =>
  plan?.prices[interval] ?? 0;
/** Plans compared by yearly base fee (what decides upgrade vs downgrade, as for Stripe). */
export const yearlyValue = (plan: Plan | undefined) =>
  (plan?.prices.year ?? 0) || (plan?.prices.month ?? 0) * 12;

/**
 * The test-mode checkout: the plan becomes ACTIVE for one period starting now and a paid
 * test-mode invoice for the base fee is recorded (nothing is charged).
 */
export async function activatePlanLocally(
  db: BillingDb,
  catalog: Catalog,
  organizationId: string,
  planKey: string,
  interval: Interval,
  now: Date = new Date(),
) {
  const plan = purchasable(catalog, planKey, interval);
  return db.system.$transaction(async (tx) => {
    const existing = await tx.subscription.findUnique({ where: { organizationId } });
    if (existing?.provider === "STRIPE" && existing.status !== "CANCELED") {
      throw new LocalBillingError("This organization is billed through Stripe");
    }
    const data = {
      planKey,
      status: "ACTIVE" as const,
      provider: "LOCAL" as const,
      interval: interval === "year" ? ("YEAR" as const) : ("MONTH" as const),
      stripeSubscriptionId: null,
      stripePriceIds: [],
      currentPeriodStart: now,
      currentPeriodEnd: periodEnd(now, interval),
      cancelAtPeriodEnd: false,
      startedAt: now,
      canceledAt: null,
      trialEndsAt: null,
      pastDueSince: null,
    };
    const subscription = await tx.subscription.upsert({
      where: { organizationId },
      create: { organizationId, ...data },
      update: data,
    });
    // A new period on the plan alone: its items start as the plan's own, once.
    await tx.subscriptionItem.deleteMany({ where: { subscriptionId: subscription.id } });
    await tx.subscriptionItem.create({
      data: {
        organizationId,
        subscriptionId: subscription.id,
        itemKey: planKey,
        quantity: 1,
        unitAmount: basePrice(plan, interval),
      },
    });
    await fulfilSignUpPlan(tx, catalog, organizationId, subscription);
    await recordLocalInvoice(tx, {
      organizationId,
      amount: basePrice(plan, interval),
      description: `${plan.name} (${intervalLabel(interval)}) — test mode`,
      periodStart: data.currentPeriodStart,
      periodEnd: data.currentPeriodEnd,
      issuedAt: now,
    });
    return subscription;
  });
}

export interface LocalPlanChange {
  direction: "upgrade" | "downgrade";
  /** Cents; negative = credit. */
  prorationAmount: number;
  amountDue: number;
  lines: { description: string | null; amount: number; proration: boolean }[];
  /** The period after the change: kept for the same interval, restarted otherwise. */
  periodStart: Date;
  periodEnd: Date;
}

const LIVE = new Set(["ACTIVE", "PAST_DUE", "TRIALING"]);

export function currentLocalPaid(
  existing: Subscription | null,
): Subscription & { currentPeriodStart: Date; currentPeriodEnd: Date } {
  if (
    !existing ||
    existing.provider !== "LOCAL" ||
    existing.planKey === "trial" ||
    !LIVE.has(existing.status) ||
    !existing.currentPeriodStart ||
    !existing.currentPeriodEnd
  ) {
    throw new LocalBillingError("No active local subscription to change: use checkout");
  }
  return existing as Subscription & { currentPeriodStart: Date; currentPeriodEnd: Date };
}

/** What a plan change would cost now: unused time credited, remaining time charged. */
export function localPlanChange(
  catalog: Catalog,
  existing: Subscription | null,
  planKey: string,
  interval: Interval,
  now: Date,
): LocalPlanChange {
  const plan = purchasable(catalog, planKey, interval);
  const current = currentLocalPaid(existing);
  const currentInterval: Interval = current.interval === "YEAR" ? "year" : "month";
  if (current.planKey === planKey && currentInterval === interval) {
    throw new LocalBillingError(`Already on ${planKey} (${interval})`);
  }
  const oldPlan = catalog.getPlan(current.planKey);
  const start = current.currentPeriodStart.getTime();
  const end = current.currentPeriodEnd.getTime();
  const fraction = Math.max(0, Math.min(1, (end - now.getTime()) / Math.max(1, end - start)));
  const sameInterval = currentInterval === interval;
  const credit = -Math.round(basePrice(oldPlan, currentInterval) * fraction);
  const charge = sameInterval
    ? Math.round(basePrice(plan, interval) * fraction)
    : basePrice(plan, interval);
  const lines = [
    ...(credit !== 0
      ? [
          {
            description: `Unused time on ${oldPlan?.name ?? current.planKey}`,
            amount: credit,
            proration: true,
          },
        ]
      : []),
    ...(charge !== 0
      ? [
          {
            description: `${sameInterval ? "Remaining time on" : "First period of"} ${plan.name} (${intervalLabel(interval)})`,
            amount: charge,
            proration: sameInterval,
          },
        ]
      : []),
  ];
  const direction = yearlyValue(plan) >= yearlyValue(oldPlan) ? "upgrade" : "downgrade";
  return {
    direction,
    prorationAmount: lines
      .filter((line) => line.proration)
      .reduce((sum, line) => sum + line.amount, 0),
    // Upgrades are charged now; a downgrade's credit would go towards the next invoice.
    amountDue: Math.max(0, credit + charge),
    lines,
    periodStart: sameInterval ? current.currentPeriodStart : now,
    periodEnd: sameInterval ? current.currentPeriodEnd : periodEnd(now, interval),
  };
}

export async function previewLocalPlanChange(
  db: BillingDb,
  catalog: Catalog,
  organizationId: string,
  planKey: string,
  interval: Interval,
  now: Date = new Date(),
) {
  const existing = await db.system.subscription.findUnique({ where: { organizationId } });
  return localPlanChange(catalog, existing, planKey, interval, now);
}

/** Upgrade/downgrade of a local subscription, with a test-mode invoice for what is due now. */
export async function changePlanLocally(
  db: BillingDb,
  catalog: Catalog,
  organizationId: string,
  planKey: string,
  interval: Interval,
  now: Date = new Date(),
) {
  const plan = purchasable(catalog, planKey, interval);
  return db.system.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT 1 FROM subscriptions WHERE organization_id = ${organizationId} FOR UPDATE`;
    const existing = await tx.subscription.findUnique({ where: { organizationId } });
    const change = localPlanChange(catalog, existing, planKey, interval, now);
    const subscription = await tx.subscription.update({
      where: { organizationId },
      data: {
        planKey,
        interval: interval === "year" ? "YEAR" : "MONTH",
        currentPeriodStart: change.periodStart,
        currentPeriodEnd: change.periodEnd,
      },
    });
    // The plan's own item follows the plan (other items keep theirs; see docs/billing.md).
    const previousKey = existing?.planKey;
    if (previousKey && previousKey !== planKey) {
      await tx.subscriptionItem.deleteMany({
        where: { subscriptionId: subscription.id, itemKey: { in: [previousKey, planKey] } },
      });
    }
    await tx.subscriptionItem.upsert({
      where: { subscriptionId_itemKey: { subscriptionId: subscription.id, itemKey: planKey } },
      create: {
        organizationId,
        subscriptionId: subscription.id,
        itemKey: planKey,
        quantity: 1,
        unitAmount: basePrice(plan, interval),
      },
      update: { unitAmount: basePrice(plan, interval) },
    });
    if (change.amountDue > 0) {
      await recordLocalInvoice(tx, {
        organizationId,
        amount: change.amountDue,
        description: `Change to ${plan.name} (${intervalLabel(interval)}) — test mode`,
        periodStart: now,
        periodEnd: change.periodEnd,
        issuedAt: now,
      });
    }
    return { subscription, change };
  });
}

async function setLocalCancel(db: BillingDb, organizationId: string, cancel: boolean) {
  const updated = await db.system.subscription.updateMany({
    where: {
      organizationId,
      provider: "LOCAL",
      status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] },
    },
    data: { cancelAtPeriodEnd: cancel },
  });
  if (updated.count === 0) throw new LocalBillingError("No active local subscription");
  return db.system.subscription.findUniqueOrThrow({ where: { organizationId } });
}

export const cancelLocally = (db: BillingDb, organizationId: string) =>
  setLocalCancel(db, organizationId, true);
export const resumeLocally = (db: BillingDb, organizationId: string) =>
  setLocalCancel(db, organizationId, false);

/** Ends the local subscription now (nothing was charged, so nothing is refunded). */
export async function cancelLocallyNow(db: BillingDb, organizationId: string, now = new Date()) {
  const updated = await db.system.subscription.updateMany({
    where: {
      organizationId,
      provider: "LOCAL",
      status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] },
      planKey: { not: "trial" },
    },
    data: { status: "CANCELED", canceledAt: now, cancelAtPeriodEnd: false },
  });
  if (updated.count === 0) throw new LocalBillingError("No active local subscription");
  return db.system.subscription.findUniqueOrThrow({ where: { organizationId } });
}

/**
 * The local provider's customer is the organization itself: its record is the LOCAL
 * subscription row, removed here (the organization's erasure normally took it already, so
 * none left is success).
 */
export async function deleteLocalCustomer(db: BillingDb, organizationId: string) {
  const { count } = await db.system.subscription.deleteMany({
    where: { organizationId, provider: "LOCAL" },
  });
  return { alreadyGone: count === 0 };
}

/** Ends local subscriptions cancelled at a period end that has passed (run periodically). */
export async function expireLocalSubscriptions(
  db: BillingDb,
  now: Date = new Date(),
): Promise<number> {
  const { count } = await db.system.subscription.updateMany({
    where: {
      provider: "LOCAL",
      cancelAtPeriodEnd: true,
      currentPeriodEnd: { lte: now },
      status: { not: "CANCELED" },
    },
    data: { status: "CANCELED", canceledAt: now, cancelAtPeriodEnd: false },
  });
  return count;
}
