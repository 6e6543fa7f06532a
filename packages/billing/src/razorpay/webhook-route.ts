// The HTTP side of `POST /api/webhooks/razorpay`, as a fetch-API handler (Request → Response)
// so the web route stays a few lines and tests drive exactly what the route runs.
import type { RazorpayDeps } from "./deps.ts";
import { receiveRazorpayWebhook } from "./webhooks.ts";

export interface RazorpayWebhookRouteDeps {
  /** null when Razorpay is not the configured provider: the endpoint answers 503. */
  deps: RazorpayDeps | null;
  /** RAZORPAY_WEBHOOK_SECRET; unset: 503. */
  secret: string | undefined;
}

const MAX_BODY_BYTES = 1024 * 1024;

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store, no-transform" } });
}

/** `resolve` runs per request, so importing the route connects to nothing (next build). */
export function createRazorpayWebhookHandler(resolve: () => RazorpayWebhookRouteDeps) {
  return async function handleRazorpayWebhook(request: Request): Promise<Response> {
    const { deps, secret } = resolve();
    if (!deps || !secret) return json(503, { error: "Razorpay webhooks are not configured" });
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES)
      return json(413, { error: "payload too large" });
    const rawBody = await request.text();
    if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES)
      return json(413, { error: "payload too large" });
    const result = await receiveRazorpayWebhook(deps, {
      rawBody,
      signature: request.headers.get("x-razorpay-signature"),
      eventId: request.headers.get("x-razorpay-event-id"),
      secret,
    });
    return json(result.status, result.body);
  };
}
