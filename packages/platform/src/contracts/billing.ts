// Billing procedure inputs (client-safe: zod mini only). Plan and meter keys are the active
// product's: the router builds those inputs from its catalog (planInputFor, dailyUsageInputFor).
import * as z from "zod/mini";
import "@plinth/core/zod-mini";

export const interval = z.enum(["month", "year"]);

export function planInputFor(planKeys: readonly [string, ...string[]]) {
  return z.object({ planKey: z.enum(planKeys), interval });
}
export function changePlanInputFor(planKeys: readonly [string, ...string[]]) {
  return z.extend(planInputFor(planKeys), {
    prorationDate: z.optional(z.int().check(z.positive())),
  });
}
export const invoicesInput = z.object({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 24),
});

const MAX_USAGE_DAYS = 366;
/** Daily usage per meter over [from, to] (both or neither; default: the current period). */
export function dailyUsageInputFor(meterKeys: readonly string[]) {
  // A product without meters accepts no meter key (z.enum needs at least one member).
  const meter = z.enum(meterKeys.length > 0 ? (meterKeys as [string, ...string[]]) : ["-"]);
  return z
    .object({
      meters: z.optional(
        z.array(meter).check(z.minLength(1), z.maxLength(Math.max(1, meterKeys.length))),
      ),
      from: z.optional(z.date()),
      to: z.optional(z.date()),
    })
    .check(
      z.refine((input) => (input.from === undefined) === (input.to === undefined), {
        message: "Give both from and to, or neither",
        path: ["to"],
      }),
      z.refine(
        ({ from, to }) =>
          !from ||
          !to ||
          (from <= to && to.getTime() - from.getTime() <= MAX_USAGE_DAYS * 86_400_000),
        { message: `Ask for at most ${MAX_USAGE_DAYS} days, from before to`, path: ["to"] },
      ),
    );
}

/** At most this many items, each at most this quantity (as @plinth/billing/items checks). */
export const MAX_SUBSCRIPTION_ITEMS = 50;
export const MAX_ITEM_QUANTITY = 1000;

/**
 * The subscription's priced items, all of them (declarative: a missing item is removed): each a
 * plan key of the product's catalog with a flat price, and a quantity. `prorationDate` (unix
 * seconds, within the current period) is a preview's, passed on so the charge matches.
 */
export function subscriptionItemsInputFor(planKeys: readonly [string, ...string[]]) {
  return z.object({
    items: z
      .array(
        z.object({
          key: z.enum(planKeys),
          quantity: z.int().check(z.minimum(1), z.maximum(MAX_ITEM_QUANTITY)),
        }),
      )
      .check(
        z.minLength(1),
        z.maxLength(MAX_SUBSCRIPTION_ITEMS),
        z.refine((items) => new Set(items.map((item) => item.key)).size === items.length, {
          message: "Each item key at most once",
        }),
      ),
    prorationDate: z.optional(z.int().check(z.positive())),
  });
}
