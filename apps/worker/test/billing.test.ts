// Billing through a real worker: Stripe deliveries go through the webhook route's handler
// (inbox + job in one transaction) and the worker processes them against the fake Stripe
// server; dunning emails go out exactly once; reconcile logs the drift it repairs; usage
// reports run as jobs.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntitlements } from "@plinth/billing";
import { activeProduct } from "@plinth/product";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import { ensureStripeCustomer } from "@plinth/billing/stripe/customers";
import { createStripeWebhookHandler } from "@plinth/billing/stripe/webhook-route";
import {
  startStripeTestServer,
  type StripeTestServer,
} from "@plinth/billing/testing/stripe-server";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema, jobs } from "@plinth/jobs";
import type Stripe from "stripe";
import { queueRows, startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let server: StripeTestServer;
let stripe: Stripe;
let worker: TestWorker;
let post: (request: Request) => Promise<Response>;
const DAY = 86_400_000;
const { catalog } = activeProduct();

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  stripe = server.client();
  await syncCatalog(stripe, catalog);
  await installJobSchema(db.url);
  worker = await startTestWorker(db, { billing: { stripe, pastDueGraceDays: 7 } });
  post = createStripeWebhookHandler(() => ({ db, secret: server.webhookSecret }));
});
afterAll(async () => {
  await worker.stop();
  await Promise.all([db.drop(), server.close()]);
});

async function deliver(events: Stripe.Event[]) {
  for (const event of events) {
    const { rawBody, signature } = server.signed(event);
    const response = await post(
      new Request("http://app.test/api/webhooks/stripe", {
        method: "POST",
        body: rawBody,
        headers: { "stripe-signature": signature },
      }),
    );
    expect(response.status).toBe(200);
  }
}

const drained = () =>
  waitFor(async () => (await queueRows(db.system)).length === 0, { what: "queue to drain" });

async function customerOrg(name: string) {
  const owner = await db.system.user.create({
    data: { email: `${name}-${randomBytes(3).toString("hex")}@billing.test` },
  });
  const org = await db.system.organization.create({
    data: { name, slug: `${name}-${randomBytes(4).toString("hex")}` },
  });
  await db.system.membership.create({
    data: { organizationId: org.id, userId: owner.id, role: "OWNER" },
  });
  const customer = await ensureStripeCustomer({ db, stripe, catalog }, org.id);
  return { org, owner, customer };
}

async function entitlementsOf(organizationId: string) {
  const org = await db.system.organization.findUniqueOrThrow({
    where: { id: organizationId },
    include: { subscription: true },
  });
  return resolveEntitlements(catalog, {
    organization: org,
    subscription: org.subscription,
    now: new Date(),
    pastDueGraceDays: 7,
  });
}

describe("billing jobs in the worker", () => {
  it("an accepted customer.subscription.updated changes the organization's entitlements", async () => {
    const { org, customer } = await customerOrg("upgrader");
    const { subscriptionId, events } = server.createSubscription(customer, ["plinth_pro_month"]);
    await deliver(events);
    await waitFor(async () => (await entitlementsOf(org.id)).plan.key === "pro", { what: "pro" });

    const sub = server.subscriptions.get(subscriptionId)!;
    const enterprise = [...server.prices.values()].find(
      (p) => p.lookup_key === "plinth_enterprise_month",
    )!;
    await stripe.subscriptions.update(subscriptionId, {
      items: [{ id: sub.items[0]!.id, price: String(enterprise.id) }],
      proration_behavior: "none",
    });
    const updated = server.events.filter((e) => e.type === "customer.subscription.updated").at(-1)!;
    await deliver([updated, updated]); // and a duplicate delivery
    const after = await waitFor(
      async () => {
        const e = await entitlementsOf(org.id);
        return e.plan.key === "enterprise" ? e : null;
      },
      { what: "enterprise entitlements" },
    );
    expect(after.features["team.invite"]).toBe(true);
    await drained();
    const rows = await db.system.stripeEvent.findMany({ where: { id: updated.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attempts: 1, error: null, organizationId: org.id });
  });

  it("a failed payment: past_due with one dunning email per failure, even when redelivered", async () => {
    const { org, owner, customer } = await customerOrg("dunned");
    const { subscriptionId, events } = server.createSubscription(customer, ["plinth_pro_month"]);
    await deliver(events);
    const failure = server.failPayment(subscriptionId);
    await deliver([...failure, failure[0]!]);
    await drained();
    expect(
      await db.system.subscription.findUniqueOrThrow({ where: { organizationId: org.id } }),
    ).toMatchObject({ status: "PAST_DUE" });
    expect(await entitlementsOf(org.id)).toMatchObject({
      status: "past_due_grace",
      access: "full",
    });
    // A re-run of the same job (e.g. a retry after a crash) sends nothing more.
    await enqueueSystem(db.system, jobs.billingProcessStripeEvent, { eventId: failure[0]!.id });
    await drained();
    const emails = await db.system.email.findMany({ where: { to: owner.email } });
    expect(emails.map((e) => e.template)).toEqual(["payment-failed"]);
    expect(emails[0]?.text).toContain(`/o/${org.slug}/billing`);
    expect(emails[0]?.text).toMatch(/Everything keeps working until/);
    // The failed invoice is on the billing page's list.
    const invoice = await db.system.invoice.findFirst({
      where: { organizationId: org.id, status: "open" },
    });
    expect(invoice).toMatchObject({ provider: "STRIPE", amountDue: 2_900 });
  });

  it("dunning cron: a reminder before the grace period ends, a notice when it has; each once", async () => {
    const ending = await customerOrg("grace-ending");
    const ended = await customerOrg("grace-ended");
    const pastDue = (organizationId: string, since: Date) =>
      db.system.subscription.create({
        data: {
          organizationId,
          planKey: "pro",
          status: "PAST_DUE",
          provider: "STRIPE",
          pastDueSince: since,
        },
      });
    await pastDue(ending.org.id, new Date(Date.now() - 6 * DAY)); // 1 day of grace left
    await pastDue(ended.org.id, new Date(Date.now() - 8 * DAY));
    for (let i = 0; i < 2; i++) {
      await Promise.all([
        enqueueSystem(db.system, jobs.billingDunning, {}),
        enqueueSystem(db.system, jobs.billingDunning, {}),
      ]);
      await drained();
    }
    expect(
      (await db.system.email.findMany({ where: { to: ending.owner.email } })).map(
        (e) => e.template,
      ),
    ).toEqual(["payment-grace-ending"]);
    expect(
      (await db.system.email.findMany({ where: { to: ended.owner.email } })).map((e) => e.template),
    ).toEqual(["access-restricted"]);
    expect(await entitlementsOf(ended.org.id)).toMatchObject({
      status: "restricted",
      access: "read_only",
    });
  });

  it("reconcile cron repairs drift no webhook reported and logs what it changed", async () => {
    const { org, customer } = await customerOrg("drifted");
    const { subscriptionId, events } = server.createSubscription(customer, ["plinth_pro_month"]);
    await deliver(events);
    await drained();
    server.mutateSilently(subscriptionId, { cancelAtPeriodEnd: true });
    await enqueueSystem(db.system, jobs.billingReconcile, {});
    await drained();
    expect(
      await db.system.subscription.findUniqueOrThrow({ where: { organizationId: org.id } }),
    ).toMatchObject({ cancelAtPeriodEnd: true });
    const line = worker.logs.find((entry) =>
      String(entry.msg).startsWith(`reconcile: ${org.id} repaired`),
    );
    expect(line?.msg).toMatch(/cancelAtPeriodEnd false → true/);
  });

  it("usage reports run as a job and report each unit once", async () => {
    const { org, customer } = await customerOrg("metered");
    const { events } = server.createSubscription(customer, [
      "plinth_payg_api_requests_month_metered",
      "plinth_payg_ai_tasks_month_metered",
      "plinth_payg_session_minutes_month_metered",
    ]);
    await deliver(events);
    await drained();
    const sub = await db.system.subscription.findUniqueOrThrow({
      where: { organizationId: org.id },
    });
    await db.system.usageCounter.create({
      data: {
        organizationId: org.id,
        meter: "api.requests",
        periodStart: sub.currentPeriodStart!,
        quantity: 42,
      },
    });
    await enqueueSystem(db.system, jobs.billingReportUsage, {});
    await enqueueSystem(db.system, jobs.billingReportUsage, {});
    await drained();
    expect(server.meterEventTotal("plinth_api_requests", customer)).toBe(42);
  });
});
