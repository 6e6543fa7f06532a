// How catalog plans map to Stripe objects: product ids, price lookup keys and meter event
// names. Lookup keys are the stable handle (prices themselves are immutable in Stripe).
import type { Catalog, Plan } from "../catalog.ts";

export type Interval = "month" | "year";
export const INTERVALS: readonly Interval[] = ["month", "year"];

const slug = (meter: string) => meter.replaceAll(".", "_");

export const productId = (plan: string) => `plinth_${plan}`;
export const meterEventName = (meter: string) => `plinth_${slug(meter)}`;
export const flatLookupKey = (plan: string, interval: Interval) => `plinth_${plan}_${interval}`;
export const meteredLookupKey = (plan: string, meter: string, interval: Interval) =>
  `plinth_${plan}_${slug(meter)}_${interval}_metered`;

/** Stripe's unit_amount_decimal (cents, decimal string) for a price in hundredths of a cent. */
export function microCentsToDecimal(microCents: number): string {
  const whole = Math.trunc(microCents / 100);
  const rest = microCents % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

export interface DesiredPrice {
  lookupKey: string;
  plan: string;
  interval: Interval;
  kind: "flat" | "metered";
  meter?: string;
  /** Flat prices: cents. */
  unitAmount?: number;
  /** Metered prices: cents as a decimal string. */
  unitAmountDecimal?: string;
}

/** Intervals a plan can be bought with: those with a flat price, else monthly (metered only). */
export function planIntervals(plan: Plan): Interval[] {
  const flat = INTERVALS.filter((interval) => plan.prices[interval] !== undefined);
  return flat.length > 0 ? flat : ["month"];
}

export function meteredQuotas(plan: Plan): { meter: string; overageMicroCents: number }[] {
  return Object.entries(plan.quotas).flatMap(([meter, quota]) => {
    const overage = quota.overageMicroCents;
    return overage === undefined ? [] : [{ meter, overageMicroCents: overage }];
  });
}

/** Every Stripe price the catalog wants, for purchasable plans. */
export function desiredPrices(plans: readonly Plan[]): DesiredPrice[] {
  return plans
    .filter((plan) => plan.purchasable)
    .flatMap((plan) =>
      planIntervals(plan).flatMap((interval): DesiredPrice[] => {
        const flatAmount = plan.prices[interval];
        const flat: DesiredPrice[] =
          flatAmount === undefined
            ? []
            : [
                {
                  lookupKey: flatLookupKey(plan.key, interval),
                  plan: plan.key,
                  interval,
                  kind: "flat",
                  unitAmount: flatAmount,
                },
              ];
        const metered = meteredQuotas(plan).map(({ meter, overageMicroCents }): DesiredPrice => ({
          lookupKey: meteredLookupKey(plan.key, meter, interval),
          plan: plan.key,
          interval,
          kind: "metered",
          meter,
          unitAmountDecimal: microCentsToDecimal(overageMicroCents),
        }));
        return [...flat, ...metered];
      }),
    );
}

/** The lookup keys a checkout for plan+interval subscribes to. */
export function lookupKeysFor(plan: Plan, interval: Interval): string[] {
  return desiredPrices([plan])
    .filter((price) => price.interval === interval)
    .map((price) => price.lookupKey);
}

const LOOKUP_KEY = /^plinth_([a-z]+)_/;

/** The plan a Stripe price belongs to: metadata first, then the lookup key. */
export function planFromPrice(
  catalog: Catalog,
  price: { lookup_key: string | null; metadata: Record<string, string> | null },
): string | undefined {
  const fromMetadata = price.metadata?.plinth_plan;
  const candidate = fromMetadata ?? LOOKUP_KEY.exec(price.lookup_key ?? "")?.[1];
  return candidate && catalog.getPlan(candidate) ? candidate : undefined;
}
