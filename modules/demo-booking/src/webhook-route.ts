// The HTTP side of POST /api/webhooks/calendly, as a fetch-API handler (Request → Response):
// the web route stays one line and the tests drive exactly what it runs. The raw body is read
// as text (the signature covers those bytes). Refusals are RFC 9457 problems.
import type { PrismaClient } from "@plinth/db";
import { receiveCalendlyWebhook } from "./calendly.ts";

export interface CalendlyWebhookRouteDeps {
  /** The system client: demo_bookings and calendly_events belong to no tenant. */
  db: PrismaClient;
  /** CALENDLY_WEBHOOK_SIGNING_KEY; unset: 503 (no Calendly subscription configured). */
  key: string | undefined;
  now?: () => Date;
  toleranceSeconds?: number;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 256 * 1024;
const HEADERS = { "cache-control": "no-store, no-transform" };

function problem(status: number, title: string, detail: string): Response {
  const slug = title.toLowerCase().replaceAll(" ", "-");
  return new Response(
    JSON.stringify({ type: `https://plinth.dev/problems/${slug}`, title, status, detail }),
    { status, headers: { ...HEADERS, "content-type": "application/problem+json" } },
  );
}

/** `deps` is resolved per request, so importing the route connects to nothing (next build). */
export function createCalendlyWebhookHandler(deps: () => CalendlyWebhookRouteDeps) {
  return async function handleCalendlyWebhook(request: Request): Promise<Response> {
    const { db, key, now, toleranceSeconds, log } = deps();
    if (!key) return problem(503, "Not configured", "Calendly webhooks are not configured.");
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) return problem(413, "Payload too large", "At most 256 KiB.");
    let rawBody: string;
    try {
      rawBody = await request.text();
    } catch {
      return problem(400, "Malformed event", "The body could not be read.");
    }
    if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES)
      return problem(413, "Payload too large", "At most 256 KiB.");
    const result = await receiveCalendlyWebhook({
      db,
      rawBody,
      signature: request.headers.get("calendly-webhook-signature"),
      key,
      ...(now ? { now: now() } : {}),
      ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
      ...(log ? { log } : {}),
    });
    if (result.status === 200) return Response.json(result.body, { status: 200, headers: HEADERS });
    return problem(result.status, result.title, result.detail);
  };
}
