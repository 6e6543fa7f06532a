// Razorpay behind the BillingProvider interface: hosted checkout (a subscription's short_url),
// plan changes (subscriptions.update: upgrades now, downgrades at the cycle end), cancel at
// the cycle end and resume of a paused subscription. Every subscription Plinth creates is
// recorded in razorpay_subscriptions first-hand: that row, not a webhook payload, ties it to
// its organization. After each change the row is re-synced from Razorpay.
import type {
  BillingProvider,
  ProviderCustomer,
  ProviderCheckoutInput,
  ProviderPlanChangeInput,
} from "../provider.ts";
import { yearlyValue } from "../local/provider.ts";
import { BillingError, purchasablePlan, type PlanChangePreview } from "../stripe/checkout.ts";
import { nowOf } from "../stripe/deps.ts";
import type { Interval } from "../stripe/prices.ts";
import type { Plan } from "../catalog.ts";
import type { RazorpayDeps } from "./deps.ts";
import { razorpaySubscriptionSchema } from "./events.ts";
import { desiredRazorpayPlans, listRazorpayPlans, matchesDesired } from "./plans.ts";
import { syncRazorpaySubscription } from "./sync.ts";

/** Billing cycles a subscription runs for (Razorpay requires a count): ten years. */
export const totalCount = (interval: Interval) => (interval === "year" ? 10 : 120);
const LIVE = ["authenticated", "active", "pending", "halted", "paused"];
/** A checkout link not yet used is handed out again for this long instead of a new one. */
const REUSE_CREATED_MS = 60 * 60_000;

async function razorpayPlanId(deps: RazorpayDeps, plan: Plan, interval: Interval) {
  const desired = desiredRazorpayPlans([plan]).find((d) => d.interval === interval);
  const found = desired
    ? (await listRazorpayPlans(deps.razorpay)).find((p) => matchesDesired(p, desired))
    : undefined;
  if (!found) {
    throw new BillingError(
      "PRICE_NOT_FOUND",
      `Missing Razorpay plan for ${plan.key} (${interval}): run the Razorpay catalog sync`,
    );
  }
  return found.id;
}

async function currentSubscription(deps: RazorpayDeps, organizationId: string) {
  const row = await deps.db.system.razorpaySubscription.findFirst({
    where: { organizationId, status: { in: LIVE } },
    orderBy: { createdAt: "desc" },
  });
  if (!row)
    throw new BillingError("NO_SUBSCRIPTION", "The organization has no Razorpay subscription");
  return row;
}

export async function startRazorpayCheckout(
  deps: RazorpayDeps,
  input: ProviderCheckoutInput,
): Promise<{ id: string; url: string }> {
  const plan = purchasablePlan(deps.catalog, input.planKey, input.interval);
  const planId = await razorpayPlanId(deps, plan, input.interval);
  const interval = input.interval === "year" ? ("YEAR" as const) : ("MONTH" as const);
  const { system } = deps.db;
  return system.$transaction(
    async (tx) => {
      // One checkout at a time per organization: a double click gets the same link.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`razorpay-checkout:${input.organizationId}`}))`;
      const live = await tx.razorpaySubscription.findFirst({
        where: { organizationId: input.organizationId, status: { in: LIVE } },
      });
      if (live) {
        throw new BillingError(
          "SAME_PLAN",
          "The organization already has a Razorpay subscription: change its plan instead",
        );
      }
      const pending = await tx.razorpaySubscription.findFirst({
        where: {
          organizationId: input.organizationId,
          status: "created",
          razorpayPlanId: planId,
          createdAt: { gt: new Date(nowOf(deps).getTime() - REUSE_CREATED_MS) },
        },
        orderBy: { createdAt: "desc" },
      });
      if (pending?.shortUrl) return { id: pending.id, url: pending.shortUrl };
      const startAt = plan.trialDays
        ? Math.floor(nowOf(deps).getTime() / 1000) + plan.trialDays * 86_400
        : undefined;
      const created = razorpaySubscriptionSchema.parse(
        await deps.razorpay.subscriptions.create({
          plan_id: planId,
          total_count: totalCount(input.interval),
          quantity: 1,
          customer_notify: 1,
          ...(startAt ? { start_at: startAt } : {}),
          notes: {
            organizationId: input.organizationId,
            plinth_plan: plan.key,
            plinth_interval: input.interval,
          },
        }),
      );
      if (!created.short_url)
        throw new Error(`Razorpay returned ${created.id} without a short_url`);
      await tx.razorpaySubscription.create({
        data: {
          id: created.id,
          organizationId: input.organizationId,
          planKey: plan.key,
          interval,
          razorpayPlanId: planId,
          status: created.status,
          shortUrl: created.short_url,
        },
      });
      return { id: created.id, url: created.short_url };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

interface RazorpayPlanChange {
  subscriptionId: string;
  planId: string;
  plan: Plan;
  direction: "upgrade" | "downgrade";
}

async function planChange(
  deps: RazorpayDeps,
  input: ProviderPlanChangeInput,
): Promise<RazorpayPlanChange> {
  const plan = purchasablePlan(deps.catalog, input.planKey, input.interval);
  const [current, planId] = await Promise.all([
    currentSubscription(deps, input.organizationId),
    razorpayPlanId(deps, plan, input.interval),
  ]);
  if (current.razorpayPlanId === planId) {
    throw new BillingError("SAME_PLAN", `Already on ${plan.key} (${input.interval})`);
  }
  const direction =
    yearlyValue(plan) >= yearlyValue(deps.catalog.getPlan(current.planKey))
      ? "upgrade"
      : "downgrade";
  return { subscriptionId: current.id, planId, plan, direction };
}

/**
 * Razorpay does not prorate: an upgrade switches now and the new plan's price is charged, a
 * downgrade takes effect at the end of the paid cycle (nothing due now).
 */
export async function previewRazorpayPlanChange(
  deps: RazorpayDeps,
  input: ProviderPlanChangeInput,
): Promise<PlanChangePreview> {
  const change = await planChange(deps, input);
  const price = change.plan.prices[input.interval] ?? 0;
  const lines =
    change.direction === "upgrade"
      ? [{ description: `${change.plan.name} from today`, amount: price, proration: false }]
      : [];
  return {
    planKey: change.plan.key,
    interval: input.interval,
    direction: change.direction,
    prorationDate: Math.floor(nowOf(deps).getTime() / 1000),
    currency: "usd",
    amountDue: change.direction === "upgrade" ? price : 0,
    prorationAmount: 0,
    lines,
  };
}

export async function changeRazorpayPlan(deps: RazorpayDeps, input: ProviderPlanChangeInput) {
  const change = await planChange(deps, input);
  await deps.razorpay.subscriptions.update(change.subscriptionId, {
    plan_id: change.planId,
    quantity: 1,
    schedule_change_at: change.direction === "upgrade" ? "now" : "cycle_end",
    customer_notify: 1,
  });
  return syncRazorpaySubscription(deps, change.subscriptionId);
}

export async function cancelRazorpayAtCycleEnd(deps: RazorpayDeps, organizationId: string) {
  const current = await currentSubscription(deps, organizationId);
  await deps.razorpay.subscriptions.cancel(current.id, true);
  await deps.db.system.razorpaySubscription.update({
    where: { id: current.id },
    data: { cancelAtCycleEnd: true },
  });
  return syncRazorpaySubscription(deps, current.id);
}

/** Cancels the live subscription at once (not at the cycle end). */
export async function cancelRazorpayNow(deps: RazorpayDeps, organizationId: string) {
  const current = await currentSubscription(deps, organizationId);
  await deps.razorpay.subscriptions.cancel(current.id, false);
  return syncRazorpaySubscription(deps, current.id);
}

/** Statuses after which a Razorpay subscription bills nothing more. */
const ENDED = ["cancelled", "completed", "expired"];

/**
 * Razorpay's API cannot delete a customer (customers can be created, edited and fetched
 * only), so the organization's subscriptions are cancelled at once instead: nothing bills
 * it again. Re-read first, so a subscription that has ended already is success (a retry).
 */
export async function cancelRazorpaySubscriptions(
  deps: Pick<RazorpayDeps, "razorpay">,
  customer: ProviderCustomer,
): Promise<{ alreadyGone: boolean }> {
  let cancelled = 0;
  for (const id of customer.subscriptionIds) {
    const subscription = razorpaySubscriptionSchema.parse(
      await deps.razorpay.subscriptions.fetch(id),
    );
    if (ENDED.includes(subscription.status)) continue;
    await deps.razorpay.subscriptions.cancel(id, false);
    cancelled++;
  }
  return { alreadyGone: cancelled === 0 };
}

/** Resumes a paused subscription. Razorpay cannot withdraw a scheduled cancellation. */
export async function resumeRazorpay(deps: RazorpayDeps, organizationId: string) {
  const current = await currentSubscription(deps, organizationId);
  if (current.status !== "paused") {
    throw new BillingError(
      "NO_SUBSCRIPTION",
      current.cancelAtCycleEnd
        ? "Razorpay cannot undo a scheduled cancellation: subscribe again once it has ended"
        : "The Razorpay subscription is not paused",
    );
  }
  await deps.razorpay.subscriptions.resume(current.id, { resume_at: "now" });
  return syncRazorpaySubscription(deps, current.id);
}

export function razorpayBillingProvider(deps: RazorpayDeps): BillingProvider {
  return {
    name: "razorpay",
    startCheckout: async (input) => ({ url: (await startRazorpayCheckout(deps, input)).url }),
    previewPlanChange: (input) => previewRazorpayPlanChange(deps, input),
    changePlan: async (input) => {
      await changeRazorpayPlan(deps, input);
    },
    cancelAtPeriodEnd: async (organizationId) => {
      await cancelRazorpayAtCycleEnd(deps, organizationId);
    },
    cancelNow: async (organizationId) => {
      await cancelRazorpayNow(deps, organizationId);
    },
    resume: async (organizationId) => {
      await resumeRazorpay(deps, organizationId);
    },
    deleteCustomer: (customer) => cancelRazorpaySubscriptions(deps, customer),
    // Razorpay has no customer billing portal; its emails carry the payment links.
    openPortal: () => Promise.resolve({ url: null }),
    // A Razorpay subscription bills one plan: no items, no proration (docs/billing.md).
    previewSubscriptionItems: () => Promise.reject(itemsUnsupported()),
    setSubscriptionItems: () => Promise.reject(itemsUnsupported()),
  };
}

/** Razorpay subscriptions have a single plan (quantity aside) and no proration. */
export const itemsUnsupported = () =>
  new BillingError(
    "UNSUPPORTED",
    "Razorpay does not support several items on one subscription: use Stripe or the local provider",
  );
