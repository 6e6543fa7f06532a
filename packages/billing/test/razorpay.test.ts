// Razorpay as the billing provider, end to end with real parts: the official `razorpay` SDK
// talking to a local Razorpay-shaped server (test/razorpay-server.ts), the billing facade and
// the webhook route handler (what POST /api/webhooks/razorpay runs) on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createCatalog } from "../src/catalog.ts";
import { parseBillingEnv } from "../src/env.ts";
import { razorpayFromEnv } from "../src/razorpay/client.ts";
import { syncRazorpayCatalog } from "../src/razorpay/catalog-sync.ts";
import { desiredRazorpayPlans } from "../src/razorpay/plans.ts";
import type { RazorpayDeps } from "../src/razorpay/deps.ts";
import { RAZORPAY_STATUS, UNKNOWN_SUBSCRIPTION } from "../src/razorpay/sync.ts";
import { createRazorpayWebhookHandler } from "../src/razorpay/webhook-route.ts";
import { inboxId } from "../src/razorpay/webhooks.ts";
import * as billing from "../src/service.ts";
import { billingProvider, stripeFromEnv } from "../src/stripe/client.ts";
import { pendingStripeEventIds } from "../src/stripe/sync.ts";
import { demoCatalog } from "./catalog.ts";
import {
  startRazorpayTestServer,
  type RazorpayEvent,
  type RazorpayTestServer,
} from "./razorpay-server.ts";

let db: TestDatabase;
let server: RazorpayTestServer;
let deps: RazorpayDeps;
let service: billing.BillingServiceDeps;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startRazorpayTestServer()]);
  const razorpay = server.client();
  deps = { db, razorpay, catalog: demoCatalog };
  service = { db, stripe: null, razorpay, catalog: demoCatalog };
  handle = createRazorpayWebhookHandler(() => ({ deps, secret: server.webhookSecret }));
  await syncRazorpayCatalog(razorpay, demoCatalog);
});
afterAll(async () => {
  await Promise.all([db.drop(), server.close()]);
});

const createOrg = (name = "Rupee") =>
  db.system.organization.create({
    data: { name, slug: `${name.toLowerCase()}-${Math.random().toString(36).slice(2)}` },
    select: { id: true },
  });

function post(rawBody: string, headers: Record<string, string>) {
  return handle(
    new Request("http://app.test/api/webhooks/razorpay", {
      method: "POST",
      body: rawBody,
      headers: { "content-type": "application/json", ...headers },
    }),
  );
}

async function deliver(events: RazorpayEvent[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const event of events) {
    const { rawBody, signature, eventId } = server.signed(event);
    const response = await post(rawBody, {
      "x-razorpay-signature": signature,
      "x-razorpay-event-id": eventId,
    });
    statuses.push(response.status);
  }
  return statuses;
}

const requestsTo = (method: string, path: RegExp) =>
  server.requests.filter((r) => r.method === method && path.test(r.path));

/** An organization that went through checkout and paid (subscription active). */
async function subscribed(planKey = "pro", interval: "month" | "year" = "month") {
  const org = await createOrg();
  await billing.startCheckout(service, {
    organizationId: org.id,
    planKey,
    interval,
    successUrl: "http://app.test/billing?ok",
    cancelUrl: "http://app.test/billing",
  });
  const row = await db.system.razorpaySubscription.findFirstOrThrow({
    where: { organizationId: org.id },
  });
  expect(await deliver(server.activate(row.id))).toEqual([200, 200, 200]);
  return { org, subscriptionId: row.id };
}

const subscriptionOf = (organizationId: string) =>
  db.system.subscription.findUniqueOrThrow({ where: { organizationId } });

describe("configuration", () => {
  it("selects Stripe, else Razorpay, else the local provider", () => {
    const razorpayKeys = { RAZORPAY_KEY_ID: "rzp_test_x", RAZORPAY_KEY_SECRET: "s" };
    expect(billingProvider(parseBillingEnv({}))).toBe("local");
    expect(billingProvider(parseBillingEnv(razorpayKeys))).toBe("razorpay");
    expect(
      billingProvider(parseBillingEnv({ ...razorpayKeys, STRIPE_SECRET_KEY: "sk_test_x" })),
    ).toBe("stripe");
    const both = parseBillingEnv({ ...razorpayKeys, STRIPE_SECRET_KEY: "sk_test_x" });
    expect(razorpayFromEnv(both)).toBeNull();
    expect(stripeFromEnv(both)).not.toBeNull();
    expect(razorpayFromEnv(parseBillingEnv(razorpayKeys))).not.toBeNull();
  });

  it("refuses half a key pair and a malformed base URL", () => {
    expect(() => parseBillingEnv({ RAZORPAY_KEY_ID: "rzp_test_x" })).toThrow(
      /RAZORPAY_KEY_SECRET: Razorpay needs RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET/,
    );
    expect(() => parseBillingEnv({ RAZORPAY_API_BASE_URL: "not a url" })).toThrow(
      /Invalid billing configuration/,
    );
    expect(parseBillingEnv({ RAZORPAY_API_BASE_URL: "" }).RAZORPAY_API_BASE_URL).toBeUndefined();
  });
});

describe("catalog sync", () => {
  it("created one plan per purchasable plan and interval with a flat price, and is idempotent", async () => {
    const created = requestsTo("POST", /^\/v1\/plans$/).map((r) => r.body);
    expect(created).toHaveLength(6); // pro, enterprise, hybrid × month, year (payg has no flat fee)
    expect(created).toContainEqual({
      period: "monthly",
      interval: 1,
      item: {
        name: "Pro (monthly)",
        amount: 2_900,
        currency: "USD",
        description: "Unlimited projects for a single owner.",
      },
      notes: { plinth_plan: "pro", plinth_interval: "month" },
    });
    const again = await syncRazorpayCatalog(deps.razorpay, demoCatalog);
    expect(again).toMatchObject({ created: [], unchanged: 6 });
    expect(requestsTo("POST", /^\/v1\/plans$/)).toHaveLength(6);
  });

  it("mirrors no item-only plan (a Razorpay subscription carries one plan, no items)", () => {
    const pro = demoCatalog.getPlan("pro");
    expect(pro).toBeDefined();
    if (!pro) return;
    const item = { ...pro, key: "workspace.small", itemOnly: true };
    const keys = desiredRazorpayPlans([...demoCatalog.plans, item]).map((d) => d.plan.key);
    expect(keys).toContain("pro");
    expect(keys).not.toContain("workspace.small");
  });

  it("a wrong key secret is refused by the API (basic auth) and surfaces as an error", async () => {
    await expect(
      syncRazorpayCatalog(server.client({ keySecret: "wrong" }), demoCatalog),
    ).rejects.toMatchObject({
      statusCode: 401,
    });
  });
});

describe("checkout", () => {
  it("creates a subscription through the SDK and returns its hosted short_url", async () => {
    const org = await createOrg();
    const before = server.requests.length;
    const result = await billing.startCheckout(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "year",
      successUrl: "http://app.test/ok",
      cancelUrl: "http://app.test/no",
    });
    const [create] = server.requests.slice(before).filter((r) => r.path === "/v1/subscriptions");
    const proYearly = [...server.plans.values()].find(
      (p) =>
        p.notes &&
        !Array.isArray(p.notes) &&
        p.notes.plinth_plan === "pro" &&
        p.period === "yearly",
    );
    expect(create).toEqual({
      method: "POST",
      path: "/v1/subscriptions",
      query: {},
      body: {
        plan_id: proYearly?.id,
        total_count: 10,
        quantity: 1,
        customer_notify: 1,
        notes: { organizationId: org.id, plinth_plan: "pro", plinth_interval: "year" },
      },
    });
    const subscription = [...server.subscriptions.values()].at(-1);
    expect(result).toEqual({ provider: "razorpay", url: subscription?.short_url });
    expect(
      await db.system.razorpaySubscription.findMany({ where: { organizationId: org.id } }),
    ).toEqual([
      expect.objectContaining({
        id: subscription?.id,
        planKey: "pro",
        interval: "YEAR",
        status: "created",
      }),
    ]);
    // A second click hands out the same link rather than a second subscription.
    const again = await billing.startCheckout(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "year",
      successUrl: "http://app.test/ok",
      cancelUrl: "http://app.test/no",
    });
    expect(again.url).toBe(result.url);
    expect(await db.system.razorpaySubscription.count({ where: { organizationId: org.id } })).toBe(
      1,
    );
    // Nothing is mirrored until the customer completes the hosted checkout.
    expect(
      await db.system.subscription.findUnique({ where: { organizationId: org.id } }),
    ).toBeNull();
  });

  it("a plan with trial days starts later: authorised is mirrored as trialing until then", async () => {
    const trialCatalog = createCatalog({
      plans: demoCatalog.plans.map((plan) =>
        plan.key === "pro" ? { ...plan, trialDays: 7 } : plan,
      ),
      trialPlan: demoCatalog.trialPlan.key,
      features: [...demoCatalog.featureKeys],
      limits: [...demoCatalog.limitKeys],
      meters: [...demoCatalog.meterKeys],
    });
    const trialService = { ...service, catalog: trialCatalog };
    const org = await createOrg();
    await billing.startCheckout(trialService, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
      successUrl: "http://a/",
      cancelUrl: "http://a/",
    });
    const body = requestsTo("POST", /^\/v1\/subscriptions$/).at(-1)?.body;
    const startAt = Number(body?.start_at);
    expect(startAt - Date.now() / 1000).toBeGreaterThan(7 * 86_400 - 60);
    expect(startAt - Date.now() / 1000).toBeLessThanOrEqual(7 * 86_400);
    const row = await db.system.razorpaySubscription.findFirstOrThrow({
      where: { organizationId: org.id },
    });
    expect(await deliver(server.authenticate(row.id))).toEqual([200]);
    expect(await subscriptionOf(org.id)).toMatchObject({
      status: "TRIALING",
      trialEndsAt: new Date(startAt * 1000),
      currentPeriodEnd: new Date(startAt * 1000),
    });
  });

  it("refuses a plan without a Razorpay plan and a second subscription", async () => {
    const org = await createOrg();
    const input = {
      organizationId: org.id,
      interval: "month" as const,
      successUrl: "http://a/",
      cancelUrl: "http://a/",
    };
    await expect(
      billing.startCheckout(service, { ...input, planKey: "payg" }),
    ).rejects.toMatchObject({
      name: "BillingError",
      code: "PRICE_NOT_FOUND",
    });
    const { org: paying } = await subscribed();
    await expect(
      billing.startCheckout(service, {
        ...input,
        organizationId: paying.id,
        planKey: "enterprise",
      }),
    ).rejects.toMatchObject({ name: "BillingError", code: "SAME_PLAN" });
  });
});

describe("webhooks", () => {
  it("activation mirrors the subscription and its paid invoice", async () => {
    const { org, subscriptionId } = await subscribed("pro", "month");
    const remote = server.subscriptions.get(subscriptionId);
    expect(await subscriptionOf(org.id)).toMatchObject({
      provider: "RAZORPAY",
      planKey: "pro",
      status: "ACTIVE",
      interval: "MONTH",
      stripeSubscriptionId: null,
      currentPeriodStart: new Date((remote?.current_start ?? 0) * 1000),
      currentPeriodEnd: new Date((remote?.current_end ?? 0) * 1000),
      cancelAtPeriodEnd: false,
      pastDueSince: null,
    });
    const invoices = await billing.listInvoices(service, { organizationId: org.id });
    expect(invoices).toEqual([
      expect.objectContaining({
        provider: "razorpay",
        status: "paid",
        amountPaid: 2_900,
        amountDue: 0,
        currency: "usd",
      }),
    ]);
    const overview = await billing.getBillingOverview(service, { organizationId: org.id });
    expect(overview).toMatchObject({
      provider: "razorpay",
      hasPaidSubscription: true,
      plan: { key: "pro" },
    });
  });

  it("a plan chosen at sign-up is cleared once the subscription is activated, not before", async () => {
    const org = await createOrg("Chosen");
    await db.system.organization.update({
      where: { id: org.id },
      data: { signUpPlanKey: "pro" },
    });
    const signUpPlan = async () =>
      (await db.system.organization.findUniqueOrThrow({ where: { id: org.id } })).signUpPlanKey;
    await billing.startCheckout(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
      successUrl: "http://app.test/billing?ok",
      cancelUrl: "http://app.test/billing",
    });
    expect(await signUpPlan()).toBe("pro"); // checkout created, nobody paid yet
    const row = await db.system.razorpaySubscription.findFirstOrThrow({
      where: { organizationId: org.id },
    });
    expect(await deliver(server.activate(row.id))).toEqual([200, 200, 200]);
    expect(await subscriptionOf(org.id)).toMatchObject({ planKey: "pro", status: "ACTIVE" });
    expect(await signUpPlan()).toBeNull();
  });

  it("answers 400 to a bad or missing signature and stores nothing", async () => {
    const { subscriptionId } = await subscribed();
    const [event] = server.charge(subscriptionId);
    const good = server.signed(event!);
    const forged = server.signed(event!, { secret: "not-the-secret" });
    const before = await db.system.stripeEvent.count();
    const responses = await Promise.all([
      post(forged.rawBody, {
        "x-razorpay-signature": forged.signature,
        "x-razorpay-event-id": good.eventId,
      }),
      post(good.rawBody, { "x-razorpay-event-id": good.eventId }),
      // The body changed after signing.
      post(good.rawBody.replace('"subscription.charged"', '"subscription.cancelled"'), {
        "x-razorpay-signature": good.signature,
        "x-razorpay-event-id": good.eventId,
      }),
      // Signed, but without the event id Razorpay always sends.
      post(good.rawBody, { "x-razorpay-signature": good.signature }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(await db.system.stripeEvent.count()).toBe(before);
  });

  it("a replay is acknowledged with 200 and processed once", async () => {
    const { org, subscriptionId } = await subscribed();
    const [event] = server.charge(subscriptionId);
    const { rawBody, signature, eventId } = server.signed(event!);
    const headers = { "x-razorpay-signature": signature, "x-razorpay-event-id": eventId };
    const first = await post(rawBody, headers);
    const fetchesAfterFirst = requestsTo(
      "GET",
      new RegExp(`^/v1/subscriptions/${subscriptionId}$`),
    ).length;
    const replays = await Promise.all([post(rawBody, headers), post(rawBody, headers)]);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, eventId, duplicate: false });
    expect(replays.map((r) => r.status)).toEqual([200, 200]);
    expect(await Promise.all(replays.map((r) => r.json()))).toEqual([
      { received: true, eventId, duplicate: true },
      { received: true, eventId, duplicate: true },
    ]);
    expect(requestsTo("GET", new RegExp(`^/v1/subscriptions/${subscriptionId}$`))).toHaveLength(
      fetchesAfterFirst,
    );
    const row = await db.system.stripeEvent.findUniqueOrThrow({ where: { id: inboxId(eventId) } });
    expect(row).toMatchObject({
      provider: "RAZORPAY",
      type: "subscription.charged",
      organizationId: org.id,
      attempts: 1,
      error: null,
    });
    expect(row.processedAt).not.toBeNull();
    expect(await billing.listInvoices(service, { organizationId: org.id })).toHaveLength(2);
  });

  it("a failed processing answers 500, keeps the event, and Razorpay's redelivery completes it", async () => {
    const { org, subscriptionId } = await subscribed();
    const [event] = server.charge(subscriptionId);
    const { rawBody, signature, eventId } = server.signed(event!);
    const headers = { "x-razorpay-signature": signature, "x-razorpay-event-id": eventId };
    server.failNextRequests(1);
    expect((await post(rawBody, headers)).status).toBe(500);
    const stored = await db.system.stripeEvent.findUniqueOrThrow({
      where: { id: inboxId(eventId) },
    });
    expect(stored).toMatchObject({ processedAt: null, attempts: 1 });
    expect(stored.error).toBe("Razorpay 500: We are facing some trouble");
    // Stripe's requeue of unprocessed inbox rows leaves Razorpay's alone.
    expect(
      await pendingStripeEventIds({ db }, { receivedBefore: new Date(Date.now() + 60_000) }),
    ).not.toContain(inboxId(eventId));
    expect(await billing.listInvoices(service, { organizationId: org.id })).toHaveLength(1);
    const retry = await post(rawBody, headers);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ received: true, eventId, duplicate: true });
    expect(
      await db.system.stripeEvent.findUniqueOrThrow({ where: { id: inboxId(eventId) } }),
    ).toMatchObject({
      attempts: 2,
      error: null,
    });
    expect(await billing.listInvoices(service, { organizationId: org.id })).toHaveLength(2);
  });

  it("maps failed, halted, recovered and completed subscriptions", async () => {
    const { org, subscriptionId } = await subscribed();
    // payment.failed names no subscription: it is found through the payment's invoice.
    expect(await deliver(server.failPayment(subscriptionId))).toEqual([200, 200]);
    const pastDue = await subscriptionOf(org.id);
    expect(pastDue).toMatchObject({ status: "PAST_DUE" });
    expect(pastDue.pastDueSince).not.toBeNull();
    expect(
      (await billing.listInvoices(service, { organizationId: org.id })).map((i) => i.status).sort(),
    ).toEqual(["open", "paid"]);
    await deliver(server.halt(subscriptionId));
    expect(await subscriptionOf(org.id)).toMatchObject({
      status: "UNPAID",
      pastDueSince: pastDue.pastDueSince,
    });
    await deliver(server.charge(subscriptionId));
    expect(await subscriptionOf(org.id)).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    await deliver(server.complete(subscriptionId));
    const ended = await subscriptionOf(org.id);
    expect(ended).toMatchObject({ status: "CANCELED", cancelAtPeriodEnd: false });
    expect(ended.canceledAt).not.toBeNull();
    expect(RAZORPAY_STATUS).toEqual({
      created: "INCOMPLETE",
      authenticated: "TRIALING",
      active: "ACTIVE",
      pending: "PAST_DUE",
      halted: "UNPAID",
      cancelled: "CANCELED",
      completed: "CANCELED",
      expired: "INCOMPLETE_EXPIRED",
      paused: "PAUSED",
    });
  });

  it("answers 503 when Razorpay is not configured", async () => {
    const off = createRazorpayWebhookHandler(() => ({ deps: null, secret: undefined }));
    const response = await off(
      new Request("http://app.test/api/webhooks/razorpay", { method: "POST", body: "{}" }),
    );
    expect(response.status).toBe(503);
  });
});

describe("subscription changes", () => {
  it("cancels at the cycle end; the cancellation cannot be withdrawn; the end is mirrored", async () => {
    const { org, subscriptionId } = await subscribed();
    const overview = await billing.cancelAtPeriodEnd(service, { organizationId: org.id });
    expect(
      requestsTo("POST", new RegExp(`^/v1/subscriptions/${subscriptionId}/cancel$`)).map(
        (r) => r.body,
      ),
    ).toEqual([{ cancel_at_cycle_end: 1 }]);
    expect(overview).toMatchObject({
      cancelAtPeriodEnd: true,
      renewsAt: null,
      subscriptionStatus: "ACTIVE",
    });
    await expect(billing.resume(service, { organizationId: org.id })).rejects.toThrow(
      /cannot undo a scheduled cancellation/,
    );
    await deliver(server.endCycle(subscriptionId));
    expect(await subscriptionOf(org.id)).toMatchObject({
      status: "CANCELED",
      cancelAtPeriodEnd: false,
    });
  });

  it("upgrades now and downgrades at the cycle end", async () => {
    const { org, subscriptionId } = await subscribed("pro", "month");
    const preview = await billing.previewPlanChange(service, {
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
    });
    expect(preview).toMatchObject({
      provider: "razorpay",
      direction: "upgrade",
      amountDue: 19_900,
    });
    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
    });
    const enterpriseMonthly = [...server.plans.values()].find(
      (p) =>
        !Array.isArray(p.notes) && p.notes.plinth_plan === "enterprise" && p.period === "monthly",
    );
    expect(
      requestsTo("PATCH", new RegExp(`^/v1/subscriptions/${subscriptionId}$`)).map((r) => r.body),
    ).toEqual([
      {
        plan_id: enterpriseMonthly?.id,
        quantity: 1,
        schedule_change_at: "now",
        customer_notify: 1,
      },
    ]);
    expect(await subscriptionOf(org.id)).toMatchObject({ planKey: "enterprise", status: "ACTIVE" });
    await expect(
      billing.changePlan(service, {
        organizationId: org.id,
        planKey: "enterprise",
        interval: "month",
      }),
    ).rejects.toMatchObject({ code: "SAME_PLAN" });

    await billing.changePlan(service, {
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    expect(
      requestsTo("PATCH", new RegExp(`^/v1/subscriptions/${subscriptionId}$`)).at(-1)?.body,
    ).toMatchObject({
      schedule_change_at: "cycle_end",
    });
    // Still on enterprise until the cycle ends; the renewal charge moves it to pro.
    expect(await subscriptionOf(org.id)).toMatchObject({ planKey: "enterprise" });
    await deliver(server.charge(subscriptionId));
    expect(await subscriptionOf(org.id)).toMatchObject({ planKey: "pro", status: "ACTIVE" });
  });

  it("resumes a paused subscription", async () => {
    const { org, subscriptionId } = await subscribed();
    await deps.razorpay.subscriptions.pause(subscriptionId, { pause_at: "now" });
    const paused = server.subscriptions.get(subscriptionId);
    await deliver([server.event("subscription.paused", paused!)]);
    expect(await subscriptionOf(org.id)).toMatchObject({ status: "PAUSED" });
    await billing.resume(service, { organizationId: org.id });
    expect(
      requestsTo("POST", new RegExp(`^/v1/subscriptions/${subscriptionId}/resume$`)).map(
        (r) => r.body,
      ),
    ).toEqual([{ resume_at: "now" }]);
    expect(await subscriptionOf(org.id)).toMatchObject({ status: "ACTIVE" });
  });
});

describe("immediate cancel and customer deletion", () => {
  it("cancels now (not at the cycle end) and mirrors the end", async () => {
    const { org, subscriptionId } = await subscribed();
    const overview = await billing.cancelNow(service, { organizationId: org.id });
    // The SDK sends no cancel_at_cycle_end for an immediate cancel (Razorpay's default).
    expect(
      requestsTo("POST", new RegExp(`^/v1/subscriptions/${subscriptionId}/cancel$`)).map(
        (r) => r.body,
      ),
    ).toEqual([null]);
    expect(server.subscriptions.get(subscriptionId)?.status).toBe("cancelled");
    expect(overview.subscriptionStatus).toBe("CANCELED");
  });

  it("a deleted organization's subscriptions are cancelled (Razorpay cannot delete customers), once", async () => {
    const { org, subscriptionId } = await subscribed();
    const customer = { customerId: null, subscriptionIds: [subscriptionId] };
    const input = { ...customer, provider: "razorpay" as const, organizationId: org.id };
    expect(await billing.deleteCustomer(service, input)).toEqual({ alreadyGone: false });
    expect(server.subscriptions.get(subscriptionId)?.status).toBe("cancelled");
    // A retry re-reads it first: already cancelled is success, no second cancel request.
    expect(await billing.deleteCustomer(service, input)).toEqual({ alreadyGone: true });
    expect(
      requestsTo("POST", new RegExp(`^/v1/subscriptions/${subscriptionId}/cancel$`)),
    ).toHaveLength(1);
  });
});

describe("tenancy", () => {
  it("takes the organization from Plinth's record of the subscription, never from the payload", async () => {
    const { org: victim } = await createOrg("Victim").then((o) => ({ org: o }));
    const { org, subscriptionId } = await subscribed();
    // A (validly signed) event whose payload claims the subscription belongs to another org.
    const remote = server.subscriptions.get(subscriptionId)!;
    const forged = server.event("subscription.charged", {
      ...remote,
      notes: { organizationId: victim.id, plinth_plan: "enterprise" },
    });
    expect(await deliver([forged])).toEqual([200]);
    expect(
      await db.system.subscription.findUnique({ where: { organizationId: victim.id } }),
    ).toBeNull();
    expect(await subscriptionOf(org.id)).toMatchObject({ planKey: "pro", status: "ACTIVE" });
    expect(
      await db.system.stripeEvent.findUniqueOrThrow({ where: { id: inboxId(forged.id) } }),
    ).toMatchObject({
      organizationId: org.id,
    });
  });

  it("ignores a subscription Plinth did not create, whatever its notes say", async () => {
    const victim = await createOrg("Victim");
    const plan = [...server.plans.values()][0]!;
    const foreign = await deps.razorpay.subscriptions.create({
      plan_id: plan.id,
      total_count: 12,
      notes: { organizationId: victim.id },
    });
    const [authenticated, activated] = server.activate(foreign.id);
    expect(await deliver([authenticated!, activated!])).toEqual([200, 200]);
    const row = await db.system.stripeEvent.findUniqueOrThrow({
      where: { id: inboxId(activated!.id) },
    });
    expect(row).toMatchObject({ organizationId: null, error: UNKNOWN_SUBSCRIPTION });
    expect(
      await db.system.subscription.findUnique({ where: { organizationId: victim.id } }),
    ).toBeNull();
    expect(await db.system.invoice.count({ where: { organizationId: victim.id } })).toBe(0);
  });
});
