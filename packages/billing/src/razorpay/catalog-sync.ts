// Mirrors the catalog into Razorpay plans (plans.create per purchasable plan × interval).
// Idempotent: existing plans are found by notes and amount, so a second run creates nothing.
import type { Catalog, Plan } from "../catalog.ts";
import type { Razorpay } from "./client.ts";
import {
  desiredRazorpayPlans,
  listRazorpayPlans,
  matchesDesired,
  period,
  RAZORPAY_CURRENCY,
} from "./plans.ts";

export interface RazorpayCatalogSyncResult {
  created: string[];
  unchanged: number;
  /** "<plan>_<interval>" → Razorpay plan id. */
  planIds: Record<string, string>;
}

export async function syncRazorpayCatalog(
  razorpay: Razorpay,
  catalog: Catalog,
  options: { plans?: readonly Plan[]; log?: (line: string) => void } = {},
): Promise<RazorpayCatalogSyncResult> {
  const existing = await listRazorpayPlans(razorpay);
  const result: RazorpayCatalogSyncResult = { created: [], unchanged: 0, planIds: {} };
  for (const desired of desiredRazorpayPlans(options.plans ?? catalog.plans)) {
    const name = `${desired.plan.key}_${desired.interval}`;
    const found = existing.find((plan) => matchesDesired(plan, desired));
    if (found) {
      result.unchanged++;
      result.planIds[name] = found.id;
      continue;
    }
    const created = await razorpay.plans.create({
      period: period(desired.interval),
      interval: 1,
      item: {
        name: `${desired.plan.name} (${desired.interval === "year" ? "yearly" : "monthly"})`,
        amount: desired.amount,
        currency: RAZORPAY_CURRENCY,
        description: desired.plan.description,
      },
      notes: { plinth_plan: desired.plan.key, plinth_interval: desired.interval },
    });
    result.created.push(name);
    result.planIds[name] = created.id;
    options.log?.(`created Razorpay plan ${created.id} for ${name}`);
  }
  return result;
}
