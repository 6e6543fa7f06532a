// The official Razorpay SDK client, built from validated configuration. The SDK fixes its host
// (https://api.razorpay.com) with no option to change it, so a base URL override (tests: a
// local Razorpay-compatible server, test/razorpay-server.ts) is set on the axios instance the
// SDK keeps as `api.rq` — checked at run time, so an SDK that renames it fails loudly.
import Razorpay from "razorpay";
import type { BillingEnv } from "../env.ts";
import { billingEnv } from "../env.ts";

export type { Razorpay };

export interface RazorpayClientOptions {
  keyId: string;
  keySecret: string;
  /** Default: Razorpay's API host. */
  baseUrl?: string;
  timeoutMs?: number;
}

interface AxiosDefaults {
  rq: { defaults: { baseURL?: string; timeout?: number } };
}

function hasAxiosInstance(api: unknown): api is AxiosDefaults {
  if (typeof api !== "object" || api === null || !("rq" in api)) return false;
  // An axios instance is a callable function carrying `defaults`.
  const rq: unknown = api.rq;
  return (typeof rq === "function" || (typeof rq === "object" && rq !== null)) && "defaults" in rq;
}

export function createRazorpayClient(options: RazorpayClientOptions): Razorpay {
  const client = new Razorpay({ key_id: options.keyId, key_secret: options.keySecret });
  if (!hasAxiosInstance(client.api)) {
    throw new Error("razorpay SDK: no axios instance at api.rq (SDK changed?)");
  }
  client.api.rq.defaults.timeout = options.timeoutMs ?? 20_000;
  if (options.baseUrl) client.api.rq.defaults.baseURL = options.baseUrl.replace(/\/+$/, "");
  return client;
}

/** The configured Razorpay client, or null unless Razorpay is the selected provider. */
export function razorpayFromEnv(env: BillingEnv = billingEnv()): Razorpay | null {
  // Stripe takes precedence when both providers are configured (docs/billing.md).
  if (env.STRIPE_SECRET_KEY || !env.RAZORPAY_KEY_ID || !env.RAZORPAY_KEY_SECRET) return null;
  return createRazorpayClient({
    keyId: env.RAZORPAY_KEY_ID,
    keySecret: env.RAZORPAY_KEY_SECRET,
    ...(env.RAZORPAY_API_BASE_URL ? { baseUrl: env.RAZORPAY_API_BASE_URL } : {}),
  });
}
