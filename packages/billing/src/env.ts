// Billing configuration (@t3-oss/env-core; composed by the apps' env.ts). The provider is
// chosen by which keys are set: STRIPE_SECRET_KEY → Stripe; else RAZORPAY_KEY_ID and
// RAZORPAY_KEY_SECRET → Razorpay; else the local billing provider (local/provider.ts).
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
      RAZORPAY_KEY_ID: optionalString,
      RAZORPAY_KEY_SECRET: optionalString,
      RAZORPAY_WEBHOOK_SECRET: optionalString,
      /** Test-only: a local Razorpay-compatible server (the SDK's host is otherwise fixed). */
      RAZORPAY_API_BASE_URL: optionalString.pipe(z.url().optional()),
      BILLING_PAST_DUE_GRACE_DAYS: z.coerce.number().int().min(0).default(7),
    },
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((env, ctx) => {
        // Half a Razorpay key pair would silently fall back to the local provider.
        const keys = ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET"] as const;
        const set = keys.filter((key) => env[key] !== undefined);
        if (set.length === 1) {
          for (const key of keys.filter((k) => env[k] === undefined)) {
            ctx.addIssue({
              code: "custom",
              path: [key],
              message: `Razorpay needs ${keys.join(", ")} (only ${set.join(", ")} set)`,
            });
          }
        }
      }),
    ...envOptions("billing", source),
  });
}

export type BillingEnv = ReturnType<typeof parseBillingEnv>;

/** The process environment's billing configuration (parsed once). */
export const billingEnv = once(() => parseBillingEnv());
