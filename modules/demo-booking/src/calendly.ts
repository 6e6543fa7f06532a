// Calendly's webhook (POST /api/webhooks/calendly): verify the Calendly-Webhook-Signature
// header — `t=<unix seconds>,v1=<hex HMAC-SHA256(signing key, "<t>.<raw body>")>` — with a
// timing-safe compare and a tolerance window, parse invitee.created / invitee.canceled with
// zod, and store each delivery once in the calendly_events inbox (id `<event>:<invitee uri>`)
// in the same transaction as the booking it creates or cancels. A replay changes nothing and
// answers 200; other event types are acknowledged and ignored. Calendly has no official Node
// SDK for webhooks (its docs give this scheme), so it is implemented here and tested with
// deliveries signed the same way.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { Prisma, type PrismaClient } from "@plinth/db";

/** Deliveries older than this (by their `t`) are refused: a captured one cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const SIGNATURE = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/;

export type SignatureCheck = "valid" | "missing" | "malformed" | "stale" | "mismatch";

/** Calendly's v1: HMAC-SHA256 of "<t>.<raw body>" under the signing key. */
function calendlyHmac(key: string, timestamp: number, rawBody: string): Buffer {
  return createHmac("sha256", key).update(`${timestamp}.${rawBody}`).digest();
}

export function signCalendlyPayload(key: string, timestamp: number, rawBody: string): string {
  return `t=${timestamp},v1=${calendlyHmac(key, timestamp, rawBody).toString("hex")}`;
}

export function checkCalendlySignature(input: {
  header: string | null | undefined;
  rawBody: string;
  key: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (!input.header) return "missing";
  const match = SIGNATURE.exec(input.header.trim());
  if (!match?.[1] || !match[2]) return "malformed";
  const timestamp = Number(match[1]);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > tolerance) return "stale";
  const expected = calendlyHmac(input.key, timestamp, input.rawBody);
  const given = Buffer.from(match[2], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? "valid"
    : "mismatch";
}

const uri = z.url({ protocol: /^https$/ }).max(500);
const shortText = z.string().max(500);

/** What we read of an invitee (Calendly API v2 "Invitee"); the rest is kept as sent. */
export const inviteePayloadSchema = z.looseObject({
  uri,
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200),
  /** The scheduled event's URI. */
  event: uri,
  status: z.enum(["active", "canceled"]),
  scheduled_event: z
    .looseObject({
      uri: uri.optional(),
      start_time: z.iso.datetime({ offset: true }),
      end_time: z.iso.datetime({ offset: true }),
    })
    .optional(),
  questions_and_answers: z
    .array(z.looseObject({ question: shortText, answer: z.string().max(5000) }))
    .max(50)
    .optional(),
});

export const calendlyEnvelopeSchema = z.looseObject({
  event: z.string().min(1).max(100),
  created_at: z.string().max(100).optional(),
  payload: z.unknown(),
});

export const HANDLED_EVENTS = ["invitee.created", "invitee.canceled"] as const;
type HandledEvent = (typeof HANDLED_EVENTS)[number];
const isHandled = (event: string): event is HandledEvent =>
  (HANDLED_EVENTS as readonly string[]).includes(event);

/** The stored payload: the verified delivery as parsed (known fields checked, others kept). */
const storedDeliverySchema = calendlyEnvelopeSchema.extend({ payload: inviteePayloadSchema });
type Delivery = z.infer<typeof storedDeliverySchema>;

export type CalendlyWebhookResult =
  | { status: 200; body: { received: true; duplicate: boolean; ignored: boolean } }
  | { status: 400 | 401 | 503; title: string; detail: string };

const refused = (status: 400 | 401 | 503, title: string, detail: string) =>
  ({ status, title, detail }) as const;

/** Company and notes from the booking form's questions ("Company" is the usual one). */
function fromAnswers(answers: Delivery["payload"]["questions_and_answers"]) {
  const all = answers ?? [];
  const company = all.find((qa) => /company|organi[sz]ation/i.test(qa.question));
  const others = all.filter((qa) => qa !== company && qa.answer.trim() !== "");
  return {
    company: company?.answer.trim().slice(0, 120) || null,
    notes:
      others
        .map((qa) => `${qa.question}: ${qa.answer}`)
        .join("\n")
        .slice(0, 2000) || null,
  };
}

export async function receiveCalendlyWebhook(input: {
  db: PrismaClient;
  rawBody: string;
  signature: string | null | undefined;
  key: string;
  now?: Date;
  toleranceSeconds?: number;
  log?: (line: string) => void;
}): Promise<CalendlyWebhookResult> {
  const check = checkCalendlySignature({
    header: input.signature,
    rawBody: input.rawBody,
    key: input.key,
    now: input.now ?? new Date(),
    ...(input.toleranceSeconds !== undefined ? { toleranceSeconds: input.toleranceSeconds } : {}),
  });
  if (check !== "valid") {
    return refused(401, "Invalid signature", SIGNATURE_DETAIL[check]);
  }
  let json: unknown;
  try {
    json = JSON.parse(input.rawBody);
  } catch {
    return refused(400, "Malformed event", "The body is not JSON.");
  }
  const envelope = calendlyEnvelopeSchema.safeParse(json);
  if (!envelope.success) return refused(400, "Malformed event", "Not a Calendly webhook event.");
  const { event } = envelope.data;
  if (!isHandled(event)) {
    return { status: 200, body: { received: true, duplicate: false, ignored: true } };
  }
  const parsed = storedDeliverySchema.safeParse(json);
  if (!parsed.success) {
    return refused(400, "Malformed event", `Not a valid ${event} payload.`);
  }
  try {
    const stored = await storeOnce(input.db, event, parsed.data);
    return { status: 200, body: { received: true, duplicate: !stored, ignored: false } };
  } catch (error) {
    // Nothing was stored (one transaction): a 503 makes Calendly deliver it again.
    input.log?.(`calendly webhook ${event}: not stored: ${String(error)}`);
    return refused(503, "Not stored", "The event could not be stored; deliver it again.");
  }
}

const SIGNATURE_DETAIL: Record<Exclude<SignatureCheck, "valid">, string> = {
  missing: "The Calendly-Webhook-Signature header is missing.",
  malformed: "The Calendly-Webhook-Signature header is not t=<seconds>,v1=<hex>.",
  stale: "The signature's timestamp is outside the tolerance window.",
  mismatch: "The signature does not match the body.",
};

/** Inbox row and booking in one transaction; false when this delivery was stored before. */
async function storeOnce(db: PrismaClient, event: HandledEvent, delivery: Delivery) {
  const invitee = delivery.payload;
  const inboxId = `${event}:${invitee.uri}`;
  const payload = delivery as Prisma.InputJsonObject;
  return db.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
      INSERT INTO calendly_events (id, event, payload)
      VALUES (${inboxId}, ${event}, ${JSON.stringify(delivery)}::jsonb)
      ON CONFLICT (id) DO NOTHING
      RETURNING id`);
    if (inserted.length === 0) return false;
    const { company, notes } = fromAnswers(invitee.questions_and_answers);
    const fields = {
      name: invitee.name,
      email: invitee.email.toLowerCase(),
      company,
      notes,
      scheduledStart: invitee.scheduled_event ? new Date(invitee.scheduled_event.start_time) : null,
      scheduledEnd: invitee.scheduled_event ? new Date(invitee.scheduled_event.end_time) : null,
      calendlyEventUri: invitee.event,
      payload,
    };
    // A cancellation may arrive before its creation: created never un-cancels a booking.
    const booking = await tx.demoBooking.upsert({
      where: { calendlyInviteeUri: invitee.uri },
      create: {
        source: "CALENDLY",
        status: event === "invitee.canceled" ? "CANCELED" : "SCHEDULED",
        calendlyInviteeUri: invitee.uri,
        ...fields,
      },
      update: event === "invitee.canceled" ? { ...fields, status: "CANCELED" } : fields,
      select: { id: true },
    });
    await tx.calendlyEvent.update({ where: { id: inboxId }, data: { bookingId: booking.id } });
    return true;
  });
}
