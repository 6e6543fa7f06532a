// The Stripe SDK client, built from validated configuration. Tests pass host/port/protocol to
// point the real SDK at a local Stripe-compatible server (test/stripe-server.ts).
import Stripe from "stripe";
import { coreEnv } from "@plinth/core/env";
import { billingEnv, type BillingEnv } from "../env.ts";

import type { BillingProviderName } from "../provider.ts";
import { razorpayFromEnv, type Razorpay } from "../razorpay/client.ts";

export type { BillingProviderName };

/**
 * Which provider bills: Stripe when its secret key is set (it wins if both are configured),
 * else Razorpay when its key id and secret are set, else the local (test-mode) provider.
 */
export function billingProvider(
  env: Pick<
    BillingEnv,
    "STRIPE_SECRET_KEY" | "RAZORPAY_KEY_ID" | "RAZORPAY_KEY_SECRET"
  > = billingEnv(),
): BillingProviderName {
  if (env.STRIPE_SECRET_KEY) return "stripe";
  return env.RAZORPAY_KEY_ID && env.RAZORPAY_KEY_SECRET ? "razorpay" : "local";
}

export interface StripeClientOptions {
  secretKey: string;
  host?: string;
  port?: number;
  protocol?: "http" | "https";
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export function createStripeClient(options: StripeClientOptions): Stripe {
  return new Stripe(options.secretKey, {
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    appInfo: { name: "plinth" },
  });
}

/** The configured Stripe client, or null when billing runs on the local provider. */
export function stripeFromEnv(env: BillingEnv = billingEnv()): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  return createStripeClient({
    secretKey: env.STRIPE_SECRET_KEY,
    ...(env.STRIPE_API_HOST ? { host: env.STRIPE_API_HOST } : {}),
    ...(env.STRIPE_API_PORT ? { port: env.STRIPE_API_PORT } : {}),
    ...(env.STRIPE_API_PROTOCOL ? { protocol: env.STRIPE_API_PROTOCOL } : {}),
  });
}

export type { Stripe };

export interface BillingRuntime {
  /** null: the local provider. */
  stripe: Stripe | null;
  /** Set only when Razorpay is the selected provider (billingProvider). */
  razorpay?: Razorpay | null;
  /** Base URL for return URLs (Checkout, portal). */
  appUrl: string;
  pastDueGraceDays: number;
}

let runtime: BillingRuntime | undefined;

/** This process's billing runtime from the environment (one Stripe client per process). */
export function billingRuntimeFromEnv(): BillingRuntime {
  if (!runtime) {
    const env = billingEnv();
    runtime = {
      stripe: stripeFromEnv(env),
      razorpay: razorpayFromEnv(env),
      appUrl: coreEnv().APP_URL,
      pastDueGraceDays: env.BILLING_PAST_DUE_GRACE_DAYS,
    };
  }
  return runtime;
}
