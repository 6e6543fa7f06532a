// The Calendly webhook, through the handler the web route runs (a fetch Request in, a Response
// out) against real PostgreSQL: signatures (valid, wrong, stale, missing, malformed), one
// booking per invitee however often a delivery is replayed, cancellation, unknown events
// acknowledged, malformed bodies refused — and nothing stored by any refusal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { signCalendlyPayload } from "../src/calendly.ts";
import { createCalendlyWebhookHandler } from "../src/webhook-route.ts";

const KEY = "calendly-test-signing-key-0123456789";
const NOW = new Date("2026-12-04T18:00:00Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());
beforeEach(async () => {
  await db.system.calendlyEvent.deleteMany();
  await db.system.demoBooking.deleteMany();
});

/** `null`: no CALENDLY_WEBHOOK_SIGNING_KEY. */
const handler = (key: string | null = KEY) =>
  createCalendlyWebhookHandler(() => ({ db: db.system, key: key ?? undefined, now: () => NOW }));

const EVENT_URI = "https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2";
const INVITEE_URI = `${EVENT_URI}/invitees/AAAAAAAAAAAAAAAA`;

function invitee(
  event: "invitee.created" | "invitee.canceled",
  over: Record<string, unknown> = {},
) {
  return {
    event,
    created_at: "2026-12-04T17:59:00.000000Z",
    created_by: "https://api.calendly.com/users/AAAAAAAAAAAAAAAA",
    payload: {
      uri: INVITEE_URI,
      email: "Lead@Prospect.example",
      name: "Lea Lead",
      event: EVENT_URI,
      status: event === "invitee.canceled" ? "canceled" : "active",
      timezone: "Europe/Paris",
      cancel_url: "https://calendly.com/cancellations/AAAAAAAAAAAAAAAA",
      reschedule_url: "https://calendly.com/reschedulings/AAAAAAAAAAAAAAAA",
      scheduled_event: {
        uri: EVENT_URI,
        name: "Plinth demo",
        start_time: "2026-12-10T15:00:00.000000Z",
        end_time: "2026-12-10T15:30:00.000000Z",
      },
      questions_and_answers: [
        { question: "Company", answer: "Prospect Ltd", position: 0 },
        { question: "What should we cover?", answer: "Minutes per seat", position: 1 },
      ],
      ...(event === "invitee.canceled"
        ? {
            cancellation: { canceled_by: "Lea Lead", reason: "conflict", canceler_type: "invitee" },
          }
        : {}),
      ...over,
    },
  };
}

function delivery(body: unknown, signature?: string | null) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers = new Headers({ "content-type": "application/json" });
  const header = signature === undefined ? signCalendlyPayload(KEY, nowSeconds, raw) : signature;
  if (header !== null) headers.set("calendly-webhook-signature", header);
  return new Request("http://app.test/api/webhooks/calendly", {
    method: "POST",
    headers,
    body: raw,
  });
}

async function stored() {
  return {
    bookings: await db.system.demoBooking.findMany({ orderBy: { id: "asc" } }),
    events: await db.system.calendlyEvent.findMany({ orderBy: { id: "asc" } }),
  };
}

async function expectProblem(response: Response, status: number, title: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as { status: number; title: string; type: string };
  expect(body).toMatchObject({ status, title });
  expect(body.type).toMatch(/^https:\/\/plinth\.dev\/problems\//);
}

describe("signature", () => {
  it("a valid one is accepted and stores the booking and the delivery", async () => {
    const response = await handler()(delivery(invitee("invitee.created")));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false, ignored: false });
    const { bookings, events } = await stored();
    expect(bookings).toHaveLength(1);
    expect(bookings[0]).toMatchObject({
      source: "CALENDLY",
      status: "SCHEDULED",
      name: "Lea Lead",
      email: "lead@prospect.example",
      company: "Prospect Ltd",
      notes: "What should we cover?: Minutes per seat",
      scheduledStart: new Date("2026-12-10T15:00:00Z"),
      scheduledEnd: new Date("2026-12-10T15:30:00Z"),
      calendlyEventUri: EVENT_URI,
      calendlyInviteeUri: INVITEE_URI,
    });
    expect(events.map((event) => [event.id, event.bookingId])).toEqual([
      [`invitee.created:${INVITEE_URI}`, bookings[0]?.id],
    ]);
    // What Calendly sent, unknown fields included.
    expect(events[0]?.payload).toMatchObject({ created_by: expect.any(String) as string });
  });

  const bodyOf = () => JSON.stringify(invitee("invitee.created"));
  const SIGNATURES: [string, (body: string) => string | null][] = [
    [
      "signed with another key",
      (body) => signCalendlyPayload("another-key-0123456789", nowSeconds, body),
    ],
    ["missing", () => null],
    ["malformed", () => "sha256=deadbeef"],
    ["stale (10 minutes old)", (body) => signCalendlyPayload(KEY, nowSeconds - 600, body)],
    [
      "from the future (10 minutes ahead)",
      (body) => signCalendlyPayload(KEY, nowSeconds + 600, body),
    ],
  ];
  it.each(SIGNATURES)("%s: 401, nothing stored", async (_what, sign) => {
    const body = bodyOf();
    await expectProblem(await handler()(delivery(body, sign(body))), 401, "Invalid signature");
    expect(await stored()).toEqual({ bookings: [], events: [] });
  });

  it("a signature over other bytes (the body changed in transit): 401", async () => {
    const body = JSON.stringify(invitee("invitee.created"));
    const signature = signCalendlyPayload(KEY, nowSeconds, body);
    const tampered = body.replace("Lea Lead", "Mallory");
    await expectProblem(await handler()(delivery(tampered, signature)), 401, "Invalid signature");
    expect(await stored()).toEqual({ bookings: [], events: [] });
  });

  it("within the tolerance window (4 minutes old): accepted", async () => {
    const body = JSON.stringify(invitee("invitee.created"));
    const response = await handler()(
      delivery(body, signCalendlyPayload(KEY, nowSeconds - 240, body)),
    );
    expect(response.status).toBe(200);
  });

  it("no signing key configured: 503, nothing stored", async () => {
    await expectProblem(
      await handler(null)(delivery(invitee("invitee.created"))),
      503,
      "Not configured",
    );
    expect(await stored()).toEqual({ bookings: [], events: [] });
  });
});

describe("storing once", () => {
  it("a replayed delivery answers 200 and changes nothing", async () => {
    const body = JSON.stringify(invitee("invitee.created"));
    expect((await handler()(delivery(body))).status).toBe(200);
    const before = await stored();
    for (let i = 0; i < 3; i++) {
      const replay = await handler()(delivery(body));
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ received: true, duplicate: true, ignored: false });
    }
    expect(await stored()).toEqual(before);
  });

  it("a cancellation marks the booking CANCELED (one booking, two deliveries)", async () => {
    await handler()(delivery(invitee("invitee.created")));
    const response = await handler()(delivery(invitee("invitee.canceled")));
    expect(response.status).toBe(200);
    const { bookings, events } = await stored();
    expect(bookings.map((booking) => booking.status)).toEqual(["CANCELED"]);
    expect(events.map((event) => event.event).sort()).toEqual([
      "invitee.canceled",
      "invitee.created",
    ]);
  });

  it("a cancellation that arrives before its creation stays canceled", async () => {
    await handler()(delivery(invitee("invitee.canceled")));
    await handler()(delivery(invitee("invitee.created")));
    const { bookings } = await stored();
    expect(bookings.map((booking) => [booking.status, booking.scheduledStart])).toEqual([
      ["CANCELED", new Date("2026-12-10T15:00:00Z")],
    ]);
  });
});

describe("what is not a booking", () => {
  it("an unknown event type is acknowledged and ignored", async () => {
    const response = await handler()(
      delivery({ event: "routing_form_submission.created", payload: { anything: true } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, duplicate: false, ignored: true });
    expect(await stored()).toEqual({ bookings: [], events: [] });
  });

  it.each([
    ["not JSON", "{not json"],
    ["not an event", JSON.stringify({ hello: "world" })],
    ["an invitee without an email", JSON.stringify(invitee("invitee.created", { email: "nope" }))],
    [
      "an invitee URI that is not https",
      JSON.stringify(invitee("invitee.created", { uri: "javascript:alert(1)" })),
    ],
    [
      "a start time that is not a time",
      JSON.stringify(
        invitee("invitee.created", {
          scheduled_event: { start_time: "'; DROP TABLE demo_bookings; --", end_time: "x" },
        }),
      ),
    ],
  ])("%s: 400 (signed, so past the signature), nothing stored", async (_what, body) => {
    const response = await handler()(delivery(body));
    await expectProblem(response, 400, "Malformed event");
    expect(await stored()).toEqual({ bookings: [], events: [] });
  });
});
