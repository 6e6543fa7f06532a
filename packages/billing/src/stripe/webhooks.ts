// The webhook endpoint's core: verify the signature, store the event once in the inbox and
// hand its id to the queue — the inbox row and its job commit in one transaction, so an event
// is never stored without being scheduled (nor scheduled without being stored). No Stripe
// calls and no state changes here — processing happens in the worker (sync.ts) — so a
// delivery costs one HMAC, one INSERT and one add_job.
import Stripe from "stripe";
import type { TransactionClient } from "@plinth/db";
import type { BillingDb } from "./deps.ts";
import { eventCustomerId, stripeEventSchema } from "./events.ts";

export interface ReceiveStripeWebhookInput {
  /** The request body exactly as received (the signature covers these bytes). */
  rawBody: string | Buffer;
  /** The `Stripe-Signature` header. */
  signature: string | null | undefined;
  db: BillingDb;
  /**
   * Schedules processing of a newly stored event (enqueue a graphile-worker job) inside the
   * transaction that stored it: if it throws, the inbox row is rolled back too.
   */
  enqueue: (eventId: string, tx: TransactionClient) => Promise<unknown> | unknown;
  /** STRIPE_WEBHOOK_SECRET. */
  secret: string;
  /** Signature timestamp tolerance in seconds (Stripe's default: 300). */
  toleranceSeconds?: number;
  log?: (line: string) => void;
}

export type ReceiveStripeWebhookResult =
  | { status: 200; body: { received: true; eventId: string; duplicate: boolean } }
  | { status: 400; body: { error: string } }
  | { status: 500; body: { error: string } };

export async function receiveStripeWebhook(input: ReceiveStripeWebhookInput): Promise<ReceiveStripeWebhookResult> {
  if (!input.signature) return { status: 400, body: { error: "missing Stripe-Signature header" } };
  let verified: unknown;
  try {
    verified = Stripe.webhooks.constructEvent(input.rawBody, input.signature, input.secret, input.toleranceSeconds);
  } catch {
    return { status: 400, body: { error: "invalid signature" } };
  }
  const parsed = stripeEventSchema.safeParse(verified);
  if (!parsed.success) return { status: 400, body: { error: "malformed event" } };
  const event = parsed.data;
  const customerId = eventCustomerId(event);
  const payload = typeof input.rawBody === "string" ? input.rawBody : input.rawBody.toString("utf8");

  // Insert unless already stored (resolving the organization on the way), and enqueue in the
  // same transaction.
  try {
    const inserted = await input.db.system.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO stripe_events (id, type, livemode, payload, customer_id, organization_id)
        SELECT ${event.id}, ${event.type}, ${event.livemode}, ${payload}::jsonb, ${customerId},
               (SELECT o.id FROM organizations o WHERE ${customerId}::text IS NOT NULL AND o.stripe_customer_id = ${customerId}::text)
        ON CONFLICT (id) DO NOTHING
        RETURNING id`;
      if (rows.length === 0) return false;
      await input.enqueue(event.id, tx);
      return true;
    });
    return { status: 200, body: { received: true, eventId: event.id, duplicate: !inserted } };
  } catch (error) {
    // Nothing was stored: Stripe's retry is stored and enqueued afresh.
    input.log?.(`stripe webhook ${event.id}: not stored: ${String(error)}`);
    return { status: 500, body: { error: "could not store the event" } };
  }
}
