// What a call cost. Prices come from configuration (the module's plinth.config entry, an
// operator's table), never from an adapter: they change more often than code.
// Unit: micro-cents (1 cent = 1,000,000 micro-cents; $1 = 10^8), integers, so sums are exact.
// A price of $0.15 per 1M tokens is 15 cents = 15_000_000 micro-cents per 1M tokens.
import { z } from "zod";
import type { TokenUsage } from "./provider.ts";

const microCents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const modelPriceSchema = z.strictObject({
  /** Micro-cents per 1,000,000 prompt (input) tokens. */
  promptPer1M: microCents,
  /** Micro-cents per 1,000,000 completion (output) tokens. */
  completionPer1M: microCents,
});
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** Model id (as sent to the provider, e.g. "gpt-4o-mini") → its price. */
export const priceTableSchema = z.record(z.string().min(1), modelPriceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

export interface Cost {
  promptMicroCents: number;
  completionMicroCents: number;
  totalMicroCents: number;
}

/** tokens × price / 10^6, rounded half up, in integer arithmetic (no float drift, no overflow). */
function priced(tokens: number, per1M: number): number {
  const product = BigInt(tokens) * BigInt(per1M);
  return Number((product + 500_000n) / 1_000_000n);
}

/** The cost of `usage` on `model`, or undefined when the table has no price for the model. */
export function costOf(
  table: PriceTable,
  model: string,
  usage: Pick<TokenUsage, "promptTokens" | "completionTokens">,
): Cost | undefined {
  const price = Object.hasOwn(table, model) ? table[model] : undefined;
  if (!price) return undefined;
  const promptMicroCents = priced(usage.promptTokens, price.promptPer1M);
  const completionMicroCents = priced(usage.completionTokens, price.completionPer1M);
  return {
    promptMicroCents,
    completionMicroCents,
    totalMicroCents: promptMicroCents + completionMicroCents,
  };
}
