// The Stripe SDK client, built from validated configuration. Tests pass host/port/protocol to
// point the real SDK at a local Stripe-compatible server (test/stripe-server.ts).
import Stripe from "stripe";
import { coreEnv } from "@plinth/core/env";
import { billingEnv, type BillingEnv } from "../env.ts";

export type BillingProviderName = "stripe" | "local";

/** "stripe" when a secret key is configured, else the local (test-mode) provider. */
export function billingProvider(
  env: Pick<BillingEnv, "STRIPE_SECRET_KEY"> = billingEnv(),
): BillingProviderName {
  return env.STRIPE_SECRET_KEY ? "stripe" : "local";
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
      appUrl: coreEnv().APP_URL,
      pastDueGraceDays: env.BILLING_PAST_DUE_GRACE_DAYS,
    };
  }
  return runtime;
}
