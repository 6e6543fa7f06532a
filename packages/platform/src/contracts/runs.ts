// Run procedure inputs (client-safe).
import { z } from "zod";
import { cuid } from "@plinth/core/inputs";

/** The demo run (core's run kind); modules start their own runs from their own procedures. */
export const startRunInput = z.object({
  kind: z.literal("demo"),
  steps: z.number().int().min(1).max(50).default(10),
});
export const runInput = z.object({ runId: cuid });
export const getRunInput = z.object({
  runId: cuid,
  logLimit: z.number().int().min(1).max(500).default(100),
});
