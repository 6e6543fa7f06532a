// The HTTP side of `POST /api/webhooks/stripe`, as a fetch-API handler (Request → Response)
// so the web route stays one line and tests drive exactly what the route runs. The raw body is
// read as text (the signature covers those bytes); an accepted event is stored in the inbox
// and its `billing.processStripeEvent` job enqueued by the same SQL statement.
import type { BillingDb } from "./deps.ts";
import { receiveStripeWebhook } from "./webhooks.ts";

export interface StripeWebhookRouteDeps {
  db: BillingDb;
  /** STRIPE_WEBHOOK_SECRET; unset: the endpoint answers 503 (local provider, no webhooks). */
  secret: string | undefined;
  toleranceSeconds?: number;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

// `no-transform`: Next's response compression (gzip when the client accepts it) would
// otherwise deflate every tiny acknowledgement — a zlib stream per request, measured at about
// a sixth of the endpoint's CPU under load (docs/billing.md, Benchmarks).
function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store, no-transform" } });
}

/** `deps` is resolved per request, so importing the route connects to nothing (next build). */
export function createStripeWebhookHandler(deps: () => StripeWebhookRouteDeps) {
  return async function handleStripeWebhook(request: Request): Promise<Response> {
    const { db, secret, toleranceSeconds, log } = deps();
    if (!secret) return json(503, { error: "Stripe webhooks are not configured" });
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) return json(413, { error: "payload too large" });
    const rawBody = await request.text();
    if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES)
      return json(413, { error: "payload too large" });
    const result = await receiveStripeWebhook({
      rawBody,
      signature: request.headers.get("stripe-signature"),
      db,
      secret,
      ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
      ...(log ? { log } : {}),
    });
    return json(result.status, result.body);
  };
}
