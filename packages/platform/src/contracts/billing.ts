// Billing procedure inputs (client-safe). Plan keys are the active product's: the router
// builds its plan input from the catalog (planInputFor).
import { z } from "zod";

export const interval = z.enum(["month", "year"]);

export function planInputFor(planKeys: readonly [string, ...string[]]) {
  return z.object({ planKey: z.enum(planKeys), interval });
}
export const invoicesInput = z.object({
  limit: z.number().int().min(1).max(100).default(24),
});
export const prorationDate = z.number().int().positive().optional();
