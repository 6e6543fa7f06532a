// Billing configuration, validated once. Stripe is optional: without STRIPE_SECRET_KEY the app
// runs on the local billing provider (local/provider.ts).
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const billingEnvSchema = z.object({
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** Test-only overrides pointing the SDK at a local Stripe-compatible server. */
  STRIPE_API_HOST: optionalString,
  STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
  STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
  BILLING_PAST_DUE_GRACE_DAYS: z.coerce.number().int().min(0).default(7),
  /** Base URL for Stripe Checkout/portal return URLs. */
  APP_URL: z.url().default("http://localhost:3000"),
});

export type BillingEnv = z.output<typeof billingEnvSchema>;

export function parseBillingEnv(source: Record<string, string | undefined>): BillingEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = billingEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid billing configuration: ${issues.join("; ")}`);
  }
  return result.data;
}

let cached: BillingEnv | undefined;

/** The process environment's billing configuration (parsed once). */
export function billingEnv(): BillingEnv {
  cached ??= parseBillingEnv(process.env);
  return cached;
}
