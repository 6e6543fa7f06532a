// The local billing provider, used when no Stripe key is configured: plans are "bought" on
// the web app's clearly marked test-mode checkout page, which activates them immediately.
// Nothing here moves money; rows are marked provider LOCAL.
import { getPlan, type PlanKey } from "../catalog.ts";
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

export async function activatePlanLocally(
  db: BillingDb,
  organizationId: string,
  planKey: PlanKey,
  interval: Interval,
  now: Date = new Date(),
) {
  const plan = getPlan(planKey);
  if (!plan?.purchasable || !planIntervals(plan).includes(interval)) {
    throw new LocalBillingError(`Plan ${planKey} cannot be bought ${interval}ly`);
  }
  const existing = await db.system.subscription.findUnique({ where: { organizationId } });
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
    canceledAt: null,
    trialEndsAt: null,
    pastDueSince: null,
  };
  return db.system.subscription.upsert({
    where: { organizationId },
    create: { organizationId, ...data },
    update: data,
  });
}

async function setLocalCancel(db: BillingDb, organizationId: string, cancel: boolean) {
  const updated = await db.system.subscription.updateMany({
    where: { organizationId, provider: "LOCAL", status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] } },
    data: { cancelAtPeriodEnd: cancel },
  });
  if (updated.count === 0) throw new LocalBillingError("No active local subscription");
  return db.system.subscription.findUniqueOrThrow({ where: { organizationId } });
}

export const cancelLocally = (db: BillingDb, organizationId: string) => setLocalCancel(db, organizationId, true);
export const resumeLocally = (db: BillingDb, organizationId: string) => setLocalCancel(db, organizationId, false);

/** Ends local subscriptions cancelled at a period end that has passed (run periodically). */
export async function expireLocalSubscriptions(db: BillingDb, now: Date = new Date()): Promise<number> {
  const { count } = await db.system.subscription.updateMany({
    where: { provider: "LOCAL", cancelAtPeriodEnd: true, currentPeriodEnd: { lte: now }, status: { not: "CANCELED" } },
    data: { status: "CANCELED", canceledAt: now, cancelAtPeriodEnd: false },
  });
  return count;
}
