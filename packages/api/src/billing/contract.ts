// Billing procedure inputs (client-safe: zod and the catalog's key lists).
import { METER_KEYS, PLAN_KEYS } from "@plinth/billing/catalog";
import { z } from "zod";

export const planInput = z.object({
  planKey: z.enum(PLAN_KEYS),
  interval: z.enum(["month", "year"]),
});
export const changePlanInput = planInput.extend({
  prorationDate: z.number().int().positive().optional(),
});
export const invoicesInput = z.object({
  limit: z.number().int().min(1).max(100).default(24),
});
const MAX_USAGE_DAYS = 366;
/** Daily usage per meter over [from, to] (both or neither; default: the current period). */
export const dailyUsageInput = z
  .object({
    meters: z.array(z.enum(METER_KEYS)).min(1).max(METER_KEYS.length).optional(),
    from: z.date().optional(),
    to: z.date().optional(),
  })
  .refine((input) => (input.from === undefined) === (input.to === undefined), {
    message: "Give both from and to, or neither",
    path: ["to"],
  })
  .refine(
    ({ from, to }) =>
      !from || !to || (from <= to && to.getTime() - from.getTime() <= MAX_USAGE_DAYS * 86_400_000),
    { message: `Ask for at most ${MAX_USAGE_DAYS} days, from before to`, path: ["to"] },
  );
