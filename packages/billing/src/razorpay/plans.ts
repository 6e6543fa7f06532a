// Razorpay plans mirror the catalog's flat prices: one plan per plan sold as a subscription's
// plan × interval (not the item-only plans — a hosted workspace's price — which a Razorpay
// subscription cannot carry: its plan's price covers them, modules/hosting/src/billing.ts),
// recognised by its notes (plinth_plan, plinth_interval) and amount. Razorpay plans are
// immutable and cannot be archived, so a changed price creates a new plan and the lookup
// picks the one matching the catalog's current amount. Metered overage has no Razorpay
// counterpart and is not billed here (docs/billing.md, Razorpay).
import { sellableAsPlan, type Catalog, type Plan } from "../catalog.ts";
import { planIntervals, type Interval } from "../stripe/prices.ts";
import type { Razorpay } from "./client.ts";
import { razorpayPlanListSchema, type RazorpayPlanSnapshot } from "./events.ts";

/** The catalog's amounts are US cents; Razorpay takes the smallest unit of the currency. */
export const RAZORPAY_CURRENCY = "USD";
const PAGE = 100;

export interface DesiredRazorpayPlan {
  plan: Plan;
  interval: Interval;
  amount: number;
}

export function desiredRazorpayPlans(plans: readonly Plan[]): DesiredRazorpayPlan[] {
  return plans.filter(sellableAsPlan).flatMap((plan) =>
    planIntervals(plan).flatMap((interval) => {
      const amount = plan.prices[interval];
      return amount === undefined || amount <= 0 ? [] : [{ plan, interval, amount }];
    }),
  );
}

export const period = (interval: Interval) => (interval === "year" ? "yearly" : "monthly");

export function matchesDesired(plan: RazorpayPlanSnapshot, desired: DesiredRazorpayPlan): boolean {
  return (
    plan.notes?.plinth_plan === desired.plan.key &&
    plan.notes.plinth_interval === desired.interval &&
    plan.period === period(desired.interval) &&
    plan.interval === 1 &&
    plan.item.amount === desired.amount &&
    plan.item.currency === RAZORPAY_CURRENCY
  );
}

/** Every plan in the Razorpay account (paged: the API returns at most 100 at a time). */
export async function listRazorpayPlans(razorpay: Razorpay): Promise<RazorpayPlanSnapshot[]> {
  const plans: RazorpayPlanSnapshot[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = razorpayPlanListSchema.parse(await razorpay.plans.all({ count: PAGE, skip }));
    plans.push(...page.items);
    if (page.items.length < PAGE) return plans;
  }
}

/** The catalog plan + interval a Razorpay plan stands for (from its notes), if any. */
export function catalogPlanOf(
  catalog: Catalog,
  plan: RazorpayPlanSnapshot,
): { planKey: string; interval: Interval } | undefined {
  const key = plan.notes?.plinth_plan;
  const interval = plan.notes?.plinth_interval;
  if (typeof key !== "string" || !catalog.getPlan(key)) return undefined;
  if (interval !== "month" && interval !== "year") return undefined;
  return { planKey: key, interval };
}
