// The ai-tasks module's configuration (@t3-oss/env-core), beside @plinth/ai's provider
// settings (OPENAI_API_KEY, OPENAI_BASE_URL, AI_REQUEST_TIMEOUT_MS, AI_MAX_RETRIES).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { priceTableSchema, type PriceTable } from "@plinth/ai";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

/**
 * Default prices (micro-cents per 1M tokens; $0.15 = 15_000_000), OpenAI's list prices of
 * 2026-01 for the models the templates name most. Configuration, not code: AI_PRICES_JSON
 * replaces the table.
 */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-4o-mini": { promptPer1M: 15_000_000, completionPer1M: 60_000_000 },
  "gpt-4o": { promptPer1M: 250_000_000, completionPer1M: 1_000_000_000 },
  "gpt-4.1-mini": { promptPer1M: 40_000_000, completionPer1M: 160_000_000 },
  "gpt-4.1": { promptPer1M: 200_000_000, completionPer1M: 800_000_000 },
  "offline-demo": { promptPer1M: 0, completionPer1M: 0 },
};

const pricesJsonSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON" });
      return z.NEVER;
    }
  })
  .pipe(priceTableSchema);

export function parseAiTasksEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      /** {"model": {"promptPer1M": micro-cents, "completionPer1M": micro-cents}}. */
      AI_PRICES_JSON: pricesJsonSchema.optional(),
      /** The offline provider's pause between tokens, so a demo looks live (ms). */
      AI_OFFLINE_TOKEN_DELAY_MS: z.coerce.number().int().min(0).max(1_000).default(15),
    },
    ...envOptions("ai-tasks", source),
  });
}

export const aiTasksEnv = once(() => parseAiTasksEnv());

export function aiPrices(): PriceTable {
  return aiTasksEnv().AI_PRICES_JSON ?? DEFAULT_PRICES;
}
