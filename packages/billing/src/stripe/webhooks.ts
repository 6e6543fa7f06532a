// The webhook endpoint's core: verify the signature, store the event once in the inbox and
// schedule its processing — in ONE SQL statement, atomic on its own: a data-modifying CTE
// inserts the inbox row (ON CONFLICT DO NOTHING) and graphile_worker.add_job runs only for
// the row it inserted. So an event is never stored without being scheduled (nor scheduled
// without being stored), a redelivery schedules nothing, and no interactive transaction
// (BEGIN … COMMIT round trips, a pooled connection held across them) is needed. No Stripe
// calls and no state changes here — processing happens in the worker (sync.ts) — so a
// delivery costs one HMAC, one JSON parse and one statement.
import Stripe from "stripe";
import { Prisma } from "@plinth/db";
import { addJobCall, jobs } from "@plinth/jobs";
import type { BillingDb } from "./deps.ts";
import { eventCustomerId, stripeEventSchema } from "./events.ts";

export interface ReceiveStripeWebhookInput {
  /** The request body exactly as received (the signature covers these bytes). */
  rawBody: string | Buffer;
  /** The `Stripe-Signature` header. */
  signature: string | null | undefined;
  db: BillingDb;
  /** STRIPE_WEBHOOK_SECRET. */
  secret: string;
  /** Signature timestamp tolerance in seconds (Stripe's default: 300). */
  toleranceSeconds?: number;
  log?: (line: string) => void;
}

export type ReceiveStripeWebhookResult =
  | {
      status: 200;
      body: { received: true; eventId: string; duplicate: boolean };
      /** The `billing.processStripeEvent` job scheduled for a newly stored event; null for a duplicate. */
      jobId: string | null;
    }
  | { status: 400; body: { error: string } }
  | { status: 500; body: { error: string } };

/**
 * The intake statement: inserts the event unless already stored (resolving the organization
 * on the way) and, for the inserted row only, schedules `billing.processStripeEvent` through
 * @plinth/jobs' addJobCall (the one builder of add_job calls). Returns one row (the job id)
 * when the event is new, none for a duplicate.
 */
function intakeStatement(
  event: { id: string; type: string; livemode: boolean },
  payload: string,
  customerId: string | null,
): Prisma.Sql {
  return Prisma.sql`
    WITH inserted AS (
      INSERT INTO stripe_events (id, type, livemode, payload, customer_id, organization_id)
      SELECT ${event.id}, ${event.type}, ${event.livemode}, ${payload}::jsonb, ${customerId},
             (SELECT o.id FROM organizations o WHERE ${customerId}::text IS NOT NULL AND o.stripe_customer_id = ${customerId}::text)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    )
    SELECT (${addJobCall(jobs.billingProcessStripeEvent, { eventId: event.id })}).id AS job_id FROM inserted`;
}

export async function receiveStripeWebhook(
  input: ReceiveStripeWebhookInput,
): Promise<ReceiveStripeWebhookResult> {
  if (!input.signature) return { status: 400, body: { error: "missing Stripe-Signature header" } };
  let verified: unknown;
  try {
    verified = Stripe.webhooks.constructEvent(
      input.rawBody,
      input.signature,
      input.secret,
      input.toleranceSeconds,
    );
  } catch {
    return { status: 400, body: { error: "invalid signature" } };
  }
  const parsed = stripeEventSchema.safeParse(verified);
  if (!parsed.success) return { status: 400, body: { error: "malformed event" } };
  const event = parsed.data;
  const customerId = eventCustomerId(event);
  const payload =
    typeof input.rawBody === "string" ? input.rawBody : input.rawBody.toString("utf8");

  try {
    const rows = await input.db.system.$queryRaw<{ job_id: bigint }[]>(
      intakeStatement(event, payload, customerId),
    );
    const row = rows[0];
    return {
      status: 200,
      body: { received: true, eventId: event.id, duplicate: !row },
      jobId: row ? String(row.job_id) : null,
    };
  } catch (error) {
    // The statement failed as a whole, so nothing was stored: Stripe's retry is stored and
    // enqueued afresh.
    input.log?.(`stripe webhook ${event.id}: not stored: ${String(error)}`);
    return { status: 500, body: { error: "could not store the event" } };
  }
}
