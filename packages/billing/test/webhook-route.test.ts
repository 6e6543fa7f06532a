// The handler behind POST /api/webhooks/stripe (apps/web/src/app/api/webhooks/stripe/route.ts
// is this handler bound to the app's database and STRIPE_WEBHOOK_SECRET), with the real
// graphile-worker queue: the inbox row and its job are written by one statement, together or not at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installJobSchema } from "@plinth/jobs";
import { ensureStripeCustomer } from "../src/stripe/customers.ts";
import { createStripeWebhookHandler } from "../src/stripe/webhook-route.ts";
import { createHarness, stripeEventJobs, withQueueDown, type BillingHarness } from "./helpers.ts";

let h: BillingHarness;
let handle: (request: Request) => Promise<Response>;
beforeAll(async () => {
  h = await createHarness();
  await installJobSchema(h.db.url);
  handle = createStripeWebhookHandler(() => ({ db: h.db, secret: h.server.webhookSecret }));
});
afterAll(() => h.close());

const post = (rawBody: string, signature?: string) =>
  handle(
    new Request("http://app.test/api/webhooks/stripe", {
      method: "POST",
      body: rawBody,
      headers: {
        "content-type": "application/json",
        ...(signature ? { "stripe-signature": signature } : {}),
      },
    }),
  );

const jobsFor = (eventId: string) => stripeEventJobs(h.db, eventId);

async function subscriptionEvents() {
  const org = await h.createOrg();
  const customer = await ensureStripeCustomer(h.deps, org.id);
  return { org, ...h.server.createSubscription(customer, ["plinth_pro_month"]) };
}

describe("POST /api/webhooks/stripe", () => {
  it("stores an accepted event and enqueues its processing job", async () => {
    const { org, events } = await subscriptionEvents();
    const event = events[0]!;
    const { rawBody, signature } = h.server.signed(event);
    const response = await post(rawBody, signature);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, eventId: event.id, duplicate: false });
    expect(await h.db.system.stripeEvent.findUnique({ where: { id: event.id } })).toMatchObject({
      organizationId: org.id,
      processedAt: null,
    });
    expect((await jobsFor(event.id)).map((job) => job.payload)).toEqual([{ eventId: event.id }]);
  });

  it("answers 400 to a bad signature and stores nothing", async () => {
    const { events } = await subscriptionEvents();
    const event = events[0]!;
    const forged = h.server.signed(event, { secret: "whsec_wrong" });
    const before = await h.db.system.stripeEvent.count();
    const responses = await Promise.all([
      post(forged.rawBody, forged.signature),
      post(forged.rawBody),
      post(
        h.server.signed(event).rawBody.replace('"livemode": false', '"livemode": true'),
        h.server.signed(event).signature,
      ),
    ]);
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(await h.db.system.stripeEvent.count()).toBe(before);
    expect(await jobsFor(event.id)).toEqual([]);
  });

  it("acknowledges a duplicate with 200 without storing or enqueueing it again", async () => {
    const { events } = await subscriptionEvents();
    const event = events[0]!;
    const { rawBody, signature } = h.server.signed(event);
    const first = await post(rawBody, signature);
    const again = await Promise.all([post(rawBody, signature), post(rawBody, signature)]);
    expect(first.status).toBe(200);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(await Promise.all(again.map((r) => r.json()))).toEqual([
      { received: true, eventId: event.id, duplicate: true },
      { received: true, eventId: event.id, duplicate: true },
    ]);
    expect(await jobsFor(event.id)).toHaveLength(1);
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(1);
  });

  it("stores and enqueues in one statement: when the enqueue fails nothing is stored", async () => {
    const { events } = await subscriptionEvents();
    const event = events[0]!;
    const { rawBody, signature } = h.server.signed(event);
    // Same handler, with the queue's function unusable for this request only.
    await h.db.system.$executeRawUnsafe(
      `ALTER SCHEMA graphile_worker RENAME TO graphile_worker_down`,
    );
    let response: Response;
    try {
      response = await post(rawBody, signature);
    } finally {
      await h.db.system.$executeRawUnsafe(
        `ALTER SCHEMA graphile_worker_down RENAME TO graphile_worker`,
      );
    }
    expect(response.status).toBe(500);
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    // add_job failing while the statement runs, after the inbox INSERT produced its row.
    const down = await withQueueDown(h.db, () => post(rawBody, signature));
    expect(down.status).toBe(500);
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await jobsFor(event.id)).toEqual([]);
    // Stripe's retry is then stored and enqueued normally.
    expect((await post(rawBody, signature)).status).toBe(200);
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(1);
    expect(await jobsFor(event.id)).toHaveLength(1);
  });

  it("answers 503 when no webhook secret is configured (local provider)", async () => {
    const local = createStripeWebhookHandler(() => ({ db: h.db, secret: undefined }));
    const response = await local(
      new Request("http://app.test/api/webhooks/stripe", { method: "POST", body: "{}" }),
    );
    expect(response.status).toBe(503);
  });
});
