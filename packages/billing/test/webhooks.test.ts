import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureStripeCustomer } from "../src/stripe/customers.ts";
import { UNKNOWN_CUSTOMER } from "../src/stripe/sync.ts";
import { receiveStripeWebhook } from "../src/stripe/webhooks.ts";
import { createHarness, stripeEventJobs, withQueueDown, type BillingHarness } from "./helpers.ts";

let h: BillingHarness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

async function subscribedOrg(lookupKeys = ["plinth_pro_month"]) {
  const org = await h.createOrg();
  const customer = await ensureStripeCustomer(h.deps, org.id);
  const { subscriptionId, events } = h.server.createSubscription(customer, lookupKeys);
  return { org, customer, subscriptionId, events };
}

describe("receiveStripeWebhook", () => {
  it("rejects a bad signature with 400 and stores nothing", async () => {
    const { events } = await subscribedOrg();
    const event = events[0]!;
    const forged = h.server.signed(event, { secret: "whsec_not_the_secret" });
    const count = await h.db.system.stripeEvent.count();
    const jobs = (await stripeEventJobs(h.db)).length;
    const base = { db: h.db, secret: h.server.webhookSecret };
    expect(
      (await receiveStripeWebhook({ ...base, ...forged, signature: forged.signature })).status,
    ).toBe(400);
    expect(
      (await receiveStripeWebhook({ ...base, rawBody: forged.rawBody, signature: undefined }))
        .status,
    ).toBe(400);
    // A correctly signed body that was tampered with afterwards.
    const good = h.server.signed(event);
    const tampered = good.rawBody.replace(event.type, "customer.subscription.deleted");
    expect(
      (await receiveStripeWebhook({ ...base, rawBody: tampered, signature: good.signature }))
        .status,
    ).toBe(400);
    // An old signature (replay beyond the tolerance).
    const old = h.server.signed(event, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await receiveStripeWebhook({ ...base, ...old })).status).toBe(400);
    expect(await h.db.system.stripeEvent.count()).toBe(count);
    expect((await stripeEventJobs(h.db)).length).toBe(jobs);
  });

  it("stores the event once, resolves the organization, and acknowledges duplicates without re-processing", async () => {
    const { org, customer, events } = await subscribedOrg();
    const created = events[0]!;
    const before = h.enqueued.length;
    expect(await h.deliver([created, created, created])).toEqual([200, 200, 200]);
    expect(h.enqueued.slice(before)).toEqual([created.id]);
    expect((await stripeEventJobs(h.db, created.id)).map((job) => job.payload)).toEqual([
      { eventId: created.id },
    ]);
    const row = await h.db.system.stripeEvent.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      type: "customer.subscription.created",
      customerId: customer,
      organizationId: org.id,
      attempts: 1,
      error: null,
    });
    expect(row.processedAt).not.toBeNull();
    const sub = await h.db.system.subscription.findUniqueOrThrow({
      where: { organizationId: org.id },
    });
    expect(sub).toMatchObject({
      planKey: "pro",
      status: "ACTIVE",
      provider: "STRIPE",
      interval: "MONTH",
    });
  });

  it("converges on Stripe's current state when an older event arrives after a newer one", async () => {
    const { org, subscriptionId } = await subscribedOrg();
    const pastDue = h.server.failPayment(subscriptionId); // older: subscription.updated → past_due
    const recovered = h.server.recoverPayment(subscriptionId); // newer: → active
    await h.deliver(recovered);
    await h.deliver(pastDue); // late delivery of the older events
    const sub = await h.db.system.subscription.findUniqueOrThrow({
      where: { organizationId: org.id },
    });
    expect(sub.status).toBe("ACTIVE");
    expect(sub.pastDueSince).toBeNull();
    expect(sub.stripeSubscriptionId).toBe(subscriptionId);
  });

  it("keeps an event for an unknown customer, flags it and does not crash", async () => {
    const customer = await h.stripe.customers.create({ name: "Stranger" });
    const { events } = h.server.createSubscription(customer.id, ["plinth_pro_month"]);
    expect(await h.deliver(events)).toEqual([200, 200]);
    const rows = await h.db.system.stripeEvent.findMany({ where: { customerId: customer.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ organizationId: null, error: UNKNOWN_CUSTOMER, attempts: 1 });
      expect(row.processedAt).not.toBeNull();
    }
  });

  it("ignores events without a customer but marks them processed", async () => {
    const event = h.server.emit("product.updated", { ...h.server.products.get("plinth_pro")! });
    await h.deliver([event]);
    const row = await h.db.system.stripeEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(row).toMatchObject({ customerId: null, error: null });
    expect(row.processedAt).not.toBeNull();
  });

  it("forgets the event when scheduling fails so Stripe's retry is stored again", async () => {
    const { events } = await subscribedOrg();
    const event = events[0]!;
    const { rawBody, signature } = h.server.signed(event);
    const logged: string[] = [];
    const receive = () =>
      receiveStripeWebhook({
        rawBody,
        signature,
        db: h.db,
        secret: h.server.webhookSecret,
        log: (line) => void logged.push(line),
      });
    const failing = await withQueueDown(h.db, receive);
    expect(failing.status).toBe(500);
    // add_job really ran (it runs only for an inserted row) and failed: the insert went with it.
    expect(logged.join("\n")).toMatch(/queue down/);
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await stripeEventJobs(h.db, event.id)).toEqual([]);
    const retried = await receive();
    expect(retried).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await h.db.system.stripeEvent.count({ where: { id: event.id } })).toBe(1);
    const scheduled = await stripeEventJobs(h.db, event.id);
    expect(scheduled.map((job) => String(job.id))).toEqual([
      retried.status === 200 ? retried.jobId : "none",
    ]);
  });
});
