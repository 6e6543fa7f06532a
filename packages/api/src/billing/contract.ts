// Billing procedure inputs (client-safe: zod and the catalog's key lists).
import { METER_KEYS, PLAN_KEYS } from "@plinth/billing/catalog";
import * as z from "zod/mini";
import "../zod-mini.ts";

export const planInput = z.object({
  planKey: z.enum(PLAN_KEYS),
  interval: z.enum(["month", "year"]),
});
export const changePlanInput = z.extend(planInput, {
  prorationDate: z.optional(z.int().check(z.positive())),
});
export const invoicesInput = z.object({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(100)), 24),
});

const MAX_USAGE_DAYS = 366;
/** Daily usage per meter over [from, to] (both or neither; default: the current period). */
export const dailyUsageInput = z
  .object({
    meters: z.optional(
      z.array(z.enum(METER_KEYS)).check(z.minLength(1), z.maxLength(METER_KEYS.length)),
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
