// Run procedure inputs (client-safe: zod mini only).
import * as z from "zod/mini";
import { cuid } from "@plinth/core/inputs";

/** The demo run (core's run kind); modules start their own runs from their own procedures. */
export const startRunInput = z.object({
  kind: z.literal("demo"),
  steps: z._default(z.int().check(z.minimum(1), z.maximum(50)), 10),
});
export const runInput = z.object({ runId: cuid });
export const getRunInput = z.object({
  runId: cuid,
  logLimit: z._default(z.int().check(z.minimum(1), z.maximum(500)), 100),
});
