// Billing configuration (@t3-oss/env-core; composed by the apps' env.ts). Stripe is optional:
// without STRIPE_SECRET_KEY the app runs on the local billing provider (local/provider.ts).
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { envOptions, once, type RuntimeEnv } from "@plinth/core/env";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export function parseBillingEnv(source: RuntimeEnv = process.env) {
  return createEnv({
    server: {
      STRIPE_SECRET_KEY: optionalString,
      STRIPE_WEBHOOK_SECRET: optionalString,
      /** Test-only overrides pointing the SDK at a local Stripe-compatible server. */
      STRIPE_API_HOST: optionalString,
      STRIPE_API_PORT: z.coerce.number().int().positive().optional(),
      STRIPE_API_PROTOCOL: z.enum(["http", "https"]).optional(),
      BILLING_PAST_DUE_GRACE_DAYS: z.coerce.number().int().min(0).default(7),
    },
    ...envOptions("billing", source),
  });
}

export type BillingEnv = ReturnType<typeof parseBillingEnv>;

/** The process environment's billing configuration (parsed once). */
export const billingEnv = once(() => parseBillingEnv());
