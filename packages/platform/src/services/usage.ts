// The organization's usage in the current billing period, per meter of the product: what the
// plan includes, what was used (the period counters, which the metering writer and quota
// checks advance — never raw events) and the overage beyond the included amount.
import type { OrgScope } from "../scope.ts";

export interface MeterUsage {
  meter: string;
  label: string;
  unit: string;
  /** Null: unlimited. */
  included: number | null;
  used: number;
  overage: number;
  /** Price per unit beyond `included` (micro-cents); null: hard-capped (refused instead). */
  overageMicroCents: number | null;
}

export async function currentUsage(scope: OrgScope) {
  const { periodStart } = scope.entitlements;
  const counters = await scope.db.client.usageCounter.findMany({
    where: { organizationId: scope.organization.id, periodStart },
    select: { meter: true, quantity: true },
  });
  const used = new Map(counters.map((row) => [row.meter, Number(row.quantity)]));
  const meters: MeterUsage[] = Object.entries(scope.entitlements.quotas).map(([meter, quota]) => {
    const quantity = used.get(meter) ?? 0;
    const declared = scope.product.meters[meter];
    return {
      meter,
      label: declared?.description ?? meter,
      unit: declared?.unit ?? "unit",
      included: quota.included,
      used: quantity,
      overage: quota.included === null ? 0 : Math.max(0, quantity - quota.included),
      overageMicroCents: quota.overageMicroCents ?? null,
    };
  });
  return { periodStart, plan: scope.entitlements.plan.key, meters };
}
