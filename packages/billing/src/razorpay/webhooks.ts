// The Razorpay webhook endpoint's core: verify X-Razorpay-Signature (HMAC-SHA256 of the raw
// body with the webhook secret, checked by the SDK's validateWebhookSignature), store the
// event once in the webhook inbox (stripe_events, provider RAZORPAY, id
// `razorpay:<X-Razorpay-Event-Id>`) and process it. Processing runs in the request (there is
// no Razorpay job in the worker); a redelivery of an event whose processing failed retries it,
// one of an event already processed changes nothing.
import { Prisma } from "@plinth/db";
import Razorpay from "razorpay";
import type { RazorpayDeps } from "./deps.ts";
import { razorpayEventSchema } from "./events.ts";
import { processRazorpayEvent, type RazorpayProcessOutcome } from "./sync.ts";

export const inboxId = (eventId: string) => `razorpay:${eventId}`;
const EVENT_ID = /^[A-Za-z0-9_-]{1,200}$/;

export interface ReceiveRazorpayWebhookInput {
  rawBody: string;
  signature: string | null | undefined;
  eventId: string | null | undefined;
  /** RAZORPAY_WEBHOOK_SECRET. */
  secret: string;
}

export type ReceiveRazorpayWebhookResult =
  | {
      status: 200;
      body: { received: true; eventId: string; duplicate: boolean };
      outcome: RazorpayProcessOutcome;
    }
  | { status: 400; body: { error: string } }
  | { status: 500; body: { error: string } };

function validSignature(rawBody: string, signature: string, secret: string): boolean {
  try {
    return Razorpay.validateWebhookSignature(rawBody, signature, secret);
  } catch {
    return false;
  }
}

export async function receiveRazorpayWebhook(
  deps: RazorpayDeps,
  input: ReceiveRazorpayWebhookInput,
): Promise<ReceiveRazorpayWebhookResult> {
  if (!input.signature)
    return { status: 400, body: { error: "missing X-Razorpay-Signature header" } };
  if (!validSignature(input.rawBody, input.signature, input.secret)) {
    return { status: 400, body: { error: "invalid signature" } };
  }
  if (!input.eventId || !EVENT_ID.test(input.eventId)) {
    return { status: 400, body: { error: "missing or malformed X-Razorpay-Event-Id header" } };
  }
  let json: unknown;
  try {
    json = JSON.parse(input.rawBody);
  } catch {
    return { status: 400, body: { error: "malformed event" } };
  }
  const parsed = razorpayEventSchema.safeParse(json);
  if (!parsed.success) return { status: 400, body: { error: "malformed event" } };
  const event = parsed.data;
  const id = inboxId(input.eventId);
  const subscriptionId = event.payload.subscription?.entity.id ?? null;

  let inserted: boolean;
  try {
    // The organization is resolved from Plinth's own record of the subscription, if any.
    const rows = await deps.db.system.$queryRaw<{ id: string }[]>(Prisma.sql`
      INSERT INTO stripe_events (id, provider, type, livemode, payload, organization_id)
      SELECT ${id}, 'RAZORPAY', ${event.event}, false, ${input.rawBody}::jsonb,
             (SELECT r.organization_id FROM razorpay_subscriptions r WHERE r.id = ${subscriptionId}::text)
      ON CONFLICT (id) DO NOTHING
      RETURNING id`);
    inserted = rows.length > 0;
  } catch (error) {
    deps.log?.(`razorpay webhook ${input.eventId}: not stored: ${String(error)}`);
    return { status: 500, body: { error: "could not store the event" } };
  }
  try {
    const outcome = await processRazorpayEvent(deps, id);
    return {
      status: 200,
      body: { received: true, eventId: input.eventId, duplicate: !inserted },
      outcome,
    };
  } catch {
    // Stored but not processed: a 5xx makes Razorpay redeliver, and the redelivery retries.
    return { status: 500, body: { error: "could not process the event" } };
  }
}
