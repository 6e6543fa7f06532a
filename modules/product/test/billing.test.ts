// The billing router: who may do what (members read, admins/owners change), billing changes
// allowed while the organization is read-only, the overview's numbers, audit entries, and the
// same flows on the local provider and on Stripe (the real SDK against the fake server).
import { TRPCError } from "@plinth/trpc/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import { processStripeEvent } from "@plinth/billing/stripe/sync";
import { receiveStripeWebhook } from "@plinth/billing/stripe/webhooks";
import {
  startStripeTestServer,
  type StripeTestServer,
} from "@plinth/billing/testing/stripe-server";
import { createRazorpayClient } from "@plinth/billing/razorpay/client";
import { createStripeClient } from "@plinth/billing/stripe/client";
import { recordUsage } from "@plinth/billing/usage";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type Stripe from "stripe";
import { AppError } from "@plinth/core/errors";
import { addMember, callerFor, createOrganization, createUser, product } from "./kit.ts";

let db: TestDatabase;
let server: StripeTestServer;
let stripe: Stripe;
const DAY = 86_400_000;
const local = { stripe: null, appUrl: "http://app.test", pastDueGraceDays: 7 };

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  stripe = server.client();
  await syncCatalog(stripe, product.catalog);
});
afterAll(() => Promise.all([db.drop(), server.close()]));

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code, appError: error.cause instanceof AppError ? error.cause.data : null };
}

async function orgWithMember(name: string) {
  const owner = await createUser(db, `owner-${name}@billing.test`);
  const member = await createUser(db, `member-${name}@billing.test`);
  const org = await createOrganization(db, owner, name);
  await addMember(db, org.id, member, "MEMBER");
  return { owner, member, org };
}

const audits = (organizationId: string) =>
  db.system.auditLog.findMany({
    where: { organizationId, action: { startsWith: "billing." } },
    orderBy: { createdAt: "asc" },
  });

describe("billing router on the local provider", () => {
  it("overview: plan, status, trial end and usage against the included quotas", async () => {
    const { owner, member, org } = await orgWithMember("Usage Co");
    await recordUsage(db.system, { organizationId: org.id, meter: "api.requests", quantity: 250 });
    await recordUsage(db.system, { organizationId: org.id, meter: "ai.tasks", quantity: 25 });
    const overview = await callerFor(db, owner, { billing: local }).billing.overview({
      organizationId: org.id,
    });
    expect(overview).toMatchObject({
      provider: "local",
      testMode: true,
      plan: { key: "trial" },
      status: "trialing",
      access: "full",
      canManage: true,
      hasPaidSubscription: false,
    });
    expect(overview.trialEndsAt?.getTime()).toBeGreaterThan(Date.now() + 13 * DAY);
    expect(overview.usage).toEqual([
      // prettier-ignore
      { meter: "test.runs", label: "Test runs", used: 0, included: 100, overage: 0, metered: false },
      // prettier-ignore
      { meter: "browser.minutes", label: "Browser test minutes", used: 0, included: 0, overage: 0, metered: false },
      // prettier-ignore
      { meter: "api.requests", label: "API requests", used: 250, included: 1_000, overage: 0, metered: false },
      // prettier-ignore
      { meter: "ai.tasks", label: "AI tasks", used: 25, included: 20, overage: 5, metered: false },
      // prettier-ignore
      { meter: "ai.tokens", label: "AI tokens (prompt + completion)", used: 0, included: 200_000, overage: 0, metered: false },
      // prettier-ignore
      { meter: "session.minutes", label: "Session minutes", used: 0, included: 30, overage: 0, metered: false },
      // prettier-ignore
      { meter: "api.units", label: "API catalog units (calls or tokens)", used: 0, included: 1_000, overage: 0, metered: false },
    ]);
    expect(overview.plans.map((p) => p.key)).toEqual(["pro", "enterprise", "payg", "hybrid"]);
    // Members see the overview, not the money.
    const asMember = callerFor(db, member, { billing: local });
    expect((await asMember.billing.overview({ organizationId: org.id })).canManage).toBe(false);
    expect((await refusal(asMember.billing.invoices({ organizationId: org.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(asMember.billing.paymentMethods({ organizationId: org.id }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("a member cannot change billing; nothing changes and nothing is audited", async () => {
    const { member, org } = await orgWithMember("Member Co");
    const api = callerFor(db, member, { billing: local });
    const plan = { organizationId: org.id, planKey: "pro" as const, interval: "month" as const };
    const item = { key: "pro" as const, quantity: 2 };
    const attempts = [
      () => api.billing.startCheckout(plan),
      () => api.billing.completeTestCheckout(plan),
      () => api.billing.changePlan(plan),
      () => api.billing.previewPlanChange(plan),
      () => api.billing.cancel({ organizationId: org.id }),
      () => api.billing.resume({ organizationId: org.id }),
      () => api.billing.openPortal({ organizationId: org.id }),
      () => api.billing.previewSubscriptionItems({ organizationId: org.id, items: [item] }),
      () => api.billing.setSubscriptionItems({ organizationId: org.id, items: [item] }),
    ];
    for (const attempt of attempts) {
      expect(await refusal(attempt())).toEqual({
        code: "FORBIDDEN",
        appError: { code: "FORBIDDEN_ROLE", requiredRole: "ADMIN" },
      });
    }
    expect(
      await db.system.subscription.findUnique({ where: { organizationId: org.id } }),
    ).toMatchObject({ planKey: "trial" });
    expect(await audits(org.id)).toEqual([]);
  });

  it("an expired trial is read-only, yet can check out; afterwards writes work again", async () => {
    const { owner, org } = await orgWithMember("Expired Co");
    const later = () => new Date(Date.now() + 20 * DAY);
    const api = callerFor(db, owner, { billing: local, now: later });
    expect(
      (await refusal(api.project.create({ organizationId: org.id, name: "Blocked" }))).appError,
    ).toMatchObject({ code: "READ_ONLY", reason: "TRIAL_EXPIRED" });
    const started = await api.billing.startCheckout({
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    expect(started.provider).toBe("local");
    const url = new URL(started.url, "http://app.test");
    expect(url.pathname).toBe("/billing/test-checkout");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      plan: "pro",
      interval: "month",
      returnTo: `/o/${org.slug}/billing?checkout=success`,
      organization: org.id,
    });
    await api.billing.completeTestCheckout({
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    expect(await api.billing.overview({ organizationId: org.id })).toMatchObject({
      plan: { key: "pro" },
      status: "active",
      access: "full",
      hasPaidSubscription: true,
    });
    await api.project.create({ organizationId: org.id, name: "Allowed" });
    await api.project.create({ organizationId: org.id, name: "Second one" }); // Pro: unlimited
    const invoices = await api.billing.invoices({ organizationId: org.id });
    expect(invoices).toEqual([
      expect.objectContaining({ provider: "local", status: "paid", amountDue: 2_900 }),
    ]);
    expect((await audits(org.id)).map((a) => [a.action, a.actorId])).toEqual([
      ["billing.checkout_started", owner.id],
      ["billing.plan_activated", owner.id],
    ]);
    // Checking out again while on a plan is refused: change the plan instead.
    expect(
      (
        await refusal(
          api.billing.startCheckout({
            organizationId: org.id,
            planKey: "enterprise",
            interval: "month",
          }),
        )
      ).appError,
    ).toMatchObject({ code: "INVALID_STATE" });
  });

  it("subscription items: preview, set (prorated, invoiced in test mode, audited), typed refusals", async () => {
    const { owner, org } = await orgWithMember("Items Co");
    const api = callerFor(db, owner, { billing: local });
    await api.billing.completeTestCheckout({
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    const items = [
      { key: "pro" as const, quantity: 1 },
      { key: "enterprise" as const, quantity: 2 },
    ];
    const preview = await api.billing.previewSubscriptionItems({ organizationId: org.id, items });
    expect(preview).toMatchObject({
      provider: "local",
      applied: false,
      changes: [{ key: "enterprise", from: 0, to: 2 }],
    });
    expect(preview.prorationAmount).toBeGreaterThan(2 * 19_900 - 100);
    const set = await api.billing.setSubscriptionItems({
      organizationId: org.id,
      items,
      prorationDate: preview.prorationDate,
    });
    expect(set).toEqual({ ...preview, applied: true });
    expect(Object.keys(set).sort()).toEqual(
      [
        "amountDueNow",
        "applied",
        "changes",
        "currency",
        "interval",
        "items",
        "lines",
        "prorationAmount",
        "prorationDate",
        "provider",
      ].sort(),
    );
    expect((await audits(org.id)).map((a) => a.action)).toContain("billing.items_changed");
    expect(
      (await api.billing.invoices({ organizationId: org.id })).map((i) => i.amountDue)[0],
    ).toBe(set.amountDueNow);
    // Bad lists: 400 from the schema (duplicates) and from the billing core (plan dropped).
    expect(
      (
        await refusal(
          api.billing.setSubscriptionItems({
            organizationId: org.id,
            items: [
              { key: "pro", quantity: 1 },
              { key: "pro", quantity: 1 },
            ],
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(
        api.billing.setSubscriptionItems({
          organizationId: org.id,
          items: [{ key: "enterprise", quantity: 1 }],
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", appError: { code: "INVALID_INPUT", field: "items" } });
    // Razorpay: a typed refusal, nothing written.
    const razorpay = createRazorpayClient({
      keyId: "rzp_test_items",
      keySecret: "secret",
      baseUrl: "http://127.0.0.1:9",
    });
    const onRazorpay = callerFor(db, owner, { billing: { ...local, razorpay } });
    expect(
      await refusal(
        onRazorpay.billing.setSubscriptionItems({
          organizationId: org.id,
          items: [{ key: "pro", quantity: 1 }],
        }),
      ),
    ).toMatchObject({ code: "PRECONDITION_FAILED", appError: { code: "INVALID_STATE" } });
    expect(await db.system.subscriptionItem.count({ where: { organizationId: org.id } })).toBe(2);
  });

  it("upgrade with a proration preview, cancel at period end, resume — each audited", async () => {
    const { owner, org } = await orgWithMember("Changer Co");
    const api = callerFor(db, owner, { billing: local });
    await api.billing.completeTestCheckout({
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    const preview = await api.billing.previewPlanChange({
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
    });
    expect(preview).toMatchObject({ direction: "upgrade", provider: "local" });
    expect(preview.amountDue).toBeGreaterThan(19_900 - 2_900 - 100);
    await api.billing.changePlan({
      organizationId: org.id,
      planKey: "enterprise",
      interval: "month",
      prorationDate: preview.prorationDate,
    });
    expect((await api.billing.overview({ organizationId: org.id })).plan.key).toBe("enterprise");
    expect(
      (await api.billing.invoices({ organizationId: org.id })).map((i) => i.amountDue),
    ).toEqual([preview.amountDue, 2_900]);
    const canceled = await api.billing.cancel({ organizationId: org.id });
    expect(canceled).toMatchObject({ cancelAtPeriodEnd: true, renewsAt: null });
    const resumed = await api.billing.resume({ organizationId: org.id });
    expect(resumed).toMatchObject({ cancelAtPeriodEnd: false, endsAt: null });
    expect(await api.billing.paymentMethods({ organizationId: org.id })).toEqual({
      provider: "local",
      card: null,
      portalAvailable: false,
    });
    expect(await api.billing.openPortal({ organizationId: org.id })).toEqual({
      provider: "local",
      url: null,
    });
    expect((await audits(org.id)).map((a) => a.action)).toEqual([
      "billing.plan_activated",
      "billing.plan_changed",
      "billing.subscription_canceled",
      "billing.subscription_resumed",
      "billing.portal_opened",
    ]);
    const changed = (await audits(org.id))[1];
    expect(changed?.changes).toEqual({
      planKey: { from: "pro", to: "enterprise" },
      interval: { from: "month", to: "month" },
    });
  });
});

describe("billing router on Stripe", () => {
  const billing = () => ({ stripe, appUrl: "https://app.example", pastDueGraceDays: 7 });

  async function deliver(events: Stripe.Event[]) {
    for (const event of events) {
      const { rawBody, signature } = server.signed(event);
      const result = await receiveStripeWebhook({
        rawBody,
        signature,
        db,
        secret: server.webhookSecret,
      });
      expect(result.status).toBe(200);
      // A newly stored event comes with its processing job (what the worker would run).
      if (result.status === 200 && result.jobId !== null)
        await processStripeEvent({ db, stripe, catalog: product.catalog }, event.id);
    }
  }

  it("checkout, plan change with preview, card and portal; a restricted organization can still pay", async () => {
    const { owner, org } = await orgWithMember("Stripe Co");
    const api = callerFor(db, owner, { billing: billing() });
    expect(
      await refusal(
        api.billing.completeTestCheckout({
          organizationId: org.id,
          planKey: "pro",
          interval: "month",
        }),
      ),
    ).toMatchObject({ appError: { code: "INVALID_STATE" } });
    const started = await api.billing.startCheckout({
      organizationId: org.id,
      planKey: "pro",
      interval: "month",
    });
    expect(started.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const session = [...server.checkoutSessions.values()].find((s) =>
      started.url.endsWith(String(s.id)),
    )!;
    expect(session.success_url).toBe(`https://app.example/o/${org.slug}/billing?checkout=success`);
    const { subscriptionId, events } = server.completeCheckout(String(session.id));
    await deliver(events);
    expect(await api.billing.overview({ organizationId: org.id })).toMatchObject({
      provider: "stripe",
      testMode: false,
      plan: { key: "pro" },
      status: "active",
      hasPaidSubscription: true,
    });

    const preview = await api.billing.previewPlanChange({
      organizationId: org.id,
      planKey: "hybrid",
      interval: "month",
    });
    expect(preview).toMatchObject({ provider: "stripe", direction: "upgrade" });
    expect(preview.prorationAmount).toBeGreaterThan(0);
    await api.billing.changePlan({
      organizationId: org.id,
      planKey: "hybrid",
      interval: "month",
      prorationDate: preview.prorationDate,
    });
    expect((await api.billing.overview({ organizationId: org.id })).plan.key).toBe("hybrid");
    // The base price and one metered price per metered meter (test runs, browser minutes,
    // requests, AI tasks and tokens, session minutes, API catalog units).
    expect(server.subscriptions.get(subscriptionId)?.items).toHaveLength(8);

    const { stripeCustomerId } = await db.system.organization.findUniqueOrThrow({
      where: { id: org.id },
    });
    server.attachCard(stripeCustomerId!, { last4: "1881" });
    expect(await api.billing.paymentMethods({ organizationId: org.id })).toMatchObject({
      provider: "stripe",
      card: { brand: "visa", last4: "1881" },
    });

    // Payment fails and the grace period passes: read-only, but paying still works.
    await deliver(server.failPayment(subscriptionId));
    const later = callerFor(db, owner, {
      billing: billing(),
      now: () => new Date(Date.now() + 8 * DAY),
    });
    const overview = await later.billing.overview({ organizationId: org.id });
    expect(overview).toMatchObject({
      status: "restricted",
      access: "read_only",
      subscriptionStatus: "PAST_DUE",
    });
    expect(overview.graceEndsAt?.getTime()).toBeLessThan(Date.now() + 8 * DAY);
    expect(
      (await refusal(later.project.create({ organizationId: org.id, name: "Nope" }))).appError,
    ).toMatchObject({ code: "READ_ONLY", reason: "PAYMENT_OVERDUE" });
    const portal = await later.billing.openPortal({ organizationId: org.id });
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    const invoices = await later.billing.invoices({ organizationId: org.id });
    expect(invoices.find((i) => i.status === "open")).toMatchObject({
      hostedInvoiceUrl: expect.stringMatching(/^https:/) as unknown,
      invoicePdf: expect.stringMatching(/pdf$/) as unknown,
    });
    await later.billing.cancel({ organizationId: org.id });
    expect(server.subscriptions.get(subscriptionId)?.cancelAtPeriodEnd).toBe(true);
    expect((await audits(org.id)).map((a) => a.action)).toEqual([
      "billing.checkout_started",
      "billing.plan_changed",
      "billing.portal_opened",
      "billing.subscription_canceled",
    ]);
  });
  it("Stripe down, or refusing, is a typed answer (503 / 412), never a 500; nothing changes", async () => {
    const { owner, org } = await orgWithMember("Outage Co");
    const checkout = { organizationId: org.id, planKey: "pro", interval: "month" } as const;
    // A port nothing listens on (the test server's, closed): a connection error.
    const closed = await startStripeTestServer();
    await closed.close();
    const unreachable = createStripeClient({
      secretKey: closed.secretKey,
      host: "127.0.0.1",
      port: closed.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const down = callerFor(db, owner, { billing: { ...billing(), stripe: unreachable } });
    expect(await refusal(down.billing.startCheckout(checkout))).toEqual({
      code: "SERVICE_UNAVAILABLE",
      appError: { code: "PROVIDER_UNAVAILABLE", provider: "stripe" },
    });
    // Stripe answering 4xx (here: a key it does not know) … our credentials: unavailable too.
    const wrongKey = createStripeClient({
      secretKey: "sk_test_not_the_servers",
      host: "127.0.0.1",
      port: server.port,
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const misconfigured = callerFor(db, owner, { billing: { ...billing(), stripe: wrongKey } });
    expect((await refusal(misconfigured.billing.startCheckout(checkout))).appError).toEqual({
      code: "PROVIDER_UNAVAILABLE",
      provider: "stripe",
    });
    expect(await audits(org.id)).toEqual([]);
    // … while a request Stripe refuses (its customer was deleted in the dashboard) is a
    // precondition the user sees.
    const api = callerFor(db, owner, { billing: billing() });
    await api.billing.startCheckout(checkout);
    const { stripeCustomerId } = await db.system.organization.findUniqueOrThrow({
      where: { id: org.id },
    });
    expect(server.customers.delete(stripeCustomerId ?? "")).toBe(true);
    const refused = await refusal(api.billing.startCheckout(checkout));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.appError).toMatchObject({ code: "INVALID_STATE" });
    expect((await audits(org.id)).map((a) => a.action)).toEqual(["billing.checkout_started"]);
  });
});
