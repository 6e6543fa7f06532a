// The operator's subscription management: view, change plan, cancel (at period end or now)
// and resume an organization's subscription through the same billing paths a customer uses —
// on the local provider and on Stripe (the real SDK against the local Stripe test server) —
// each audited on the platform log with the operator as actor and the organization as target.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncCatalog } from "@plinth/billing/stripe/catalog-sync";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { ensureStripeCustomer } from "@plinth/billing/stripe/customers";
import { lookupKeysFor } from "@plinth/billing/stripe/prices";
import { syncStripeCustomer } from "@plinth/billing/stripe/sync";
import {
  startStripeTestServer,
  type StripeTestServer,
} from "@plinth/billing/testing/stripe-server";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import type { TRPCError } from "@trpc/server";
import { callerFor, createOrganization, createUser, product } from "./kit.ts";

let db: TestDatabase;
let server: StripeTestServer;
let stripe: Stripe;
let stripeBilling: BillingRuntime;
let admin: Awaited<ReturnType<typeof createUser>>;
let owner: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  [db, server] = await Promise.all([createTestDatabase(), startStripeTestServer()]);
  stripe = server.client();
  await syncCatalog(stripe, product.catalog);
  stripeBilling = { stripe, appUrl: "http://app.test", pastDueGraceDays: 7 };
  admin = await createUser(db, "ops@operator-billing.test", { platformRole: "SUPER_ADMIN" });
  owner = await createUser(db, "owner@operator-billing.test");
});
afterAll(() => Promise.all([db.drop(), server.close()]));

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error as TRPCError,
  );
}

/** An organization on Pro (monthly), bought through the local provider's test checkout. */
async function localPro(name: string) {
  const org = await createOrganization(db, owner, name);
  await callerFor(db, owner).billing.completeTestCheckout({
    organizationId: org.id,
    planKey: "pro",
    interval: "month",
  });
  return org;
}

const auditEntries = (organizationId: string) =>
  db.system.auditLog.findMany({
    where: {
      targetType: "organization",
      targetId: organizationId,
      action: { startsWith: "operator." },
    },
    orderBy: { createdAt: "asc" },
    select: { organizationId: true, actorId: true, action: true, changes: true },
  });

describe("local provider", () => {
  it("shows the subscription with its items and the preset's plans, no provider ids", async () => {
    const org = await localPro("View Co");
    const view = await callerFor(db, admin).operator.subscription({ organizationId: org.id });
    expect(view.organization).toEqual({ id: org.id, name: "View Co", slug: org.slug });
    expect(view.subscription).toMatchObject({
      plan: { key: "pro", name: "Pro" },
      status: "ACTIVE",
      provider: "local",
      interval: "month",
      cancelAtPeriodEnd: false,
      manageable: true,
      items: [{ key: "pro", name: "Pro", quantity: 1, unitAmount: 2900 }],
    });
    expect(view.plans.map((plan) => plan.key)).toEqual(
      product.catalog.plans.filter((plan) => plan.purchasable).map((plan) => plan.key),
    );
    expect(JSON.stringify(view)).not.toMatch(/stripe|cus_|sub_/i);
  });

  it("changes the plan: subscription, items and the members' entitlements follow; audited", async () => {
    const org = await localPro("Upgrade Co");
    const before = await callerFor(db, owner).organization.get({ organizationId: org.id });
    expect(before).toMatchObject({ plan: { key: "pro" }, features: { sso: false } });

    const view = await callerFor(db, admin).operator.changePlan({
      organizationId: org.id,
      planKey: "enterprise",
    });
    expect(view.subscription).toMatchObject({
      plan: { key: "enterprise" },
      interval: "month",
      items: [{ key: "enterprise", quantity: 1, unitAmount: 19900 }],
    });
    const after = await callerFor(db, owner).organization.get({ organizationId: org.id });
    expect(after).toMatchObject({ plan: { key: "enterprise" }, features: { sso: true } });
    // Prorated as the customer's own change: the upgrade's remaining time is invoiced.
    const invoices = await db.system.invoice.findMany({ where: { organizationId: org.id } });
    expect(invoices).toHaveLength(2);
    expect(await auditEntries(org.id)).toEqual([
      {
        organizationId: null,
        actorId: admin.id,
        action: "operator.plan_changed",
        changes: {
          planKey: { from: "pro", to: "enterprise" },
          interval: { from: "month", to: "month" },
          provider: { to: "local" },
        },
      },
    ]);
  });

  it("previews the plan change (proration lines, amounts) without changing anything, then confirms it", async () => {
    const org = await localPro("Preview Co");
    const api = callerFor(db, admin);
    const preview = await api.operator.previewPlanChange({
      organizationId: org.id,
      planKey: "enterprise",
    });
    expect(preview).toMatchObject({
      from: { key: "pro", name: "Pro" },
      to: { key: "enterprise" },
      interval: "month",
      provider: "local",
      direction: "upgrade",
      currency: "usd",
    });
    // An upgrade early in the period: the unused Pro time is credited, Enterprise charged.
    expect(preview.amountDue).toBeGreaterThan(0);
    expect(preview.amountDue).toBeLessThanOrEqual(19_900);
    expect(preview.lines.length).toBeGreaterThan(0);
    expect(preview.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(preview.amountDue);
    expect(JSON.stringify(preview)).not.toMatch(/cus_|sub_/);
    // Nothing changed, nothing audited.
    expect(
      await db.system.subscription.findUniqueOrThrow({ where: { organizationId: org.id } }),
    ).toMatchObject({ planKey: "pro" });
    expect(await auditEntries(org.id)).toEqual([]);
    // Confirmed at the preview's proration date: the invoice charges what was shown.
    await api.operator.changePlan({
      organizationId: org.id,
      planKey: "enterprise",
      prorationDate: preview.prorationDate,
    });
    const invoices = await db.system.invoice.findMany({
      where: { organizationId: org.id },
      orderBy: { issuedAt: "desc" },
    });
    expect(invoices[0]?.amountDue).toBe(preview.amountDue);
    // Refusals like the change itself; a regular user is FORBIDDEN.
    expect(
      (
        await failure(
          api.operator.previewPlanChange({ organizationId: org.id, planKey: "enterprise" }),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
    expect(
      (
        await failure(
          api.operator.previewPlanChange({ organizationId: org.id, planKey: "platinum" }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (
        await failure(
          callerFor(db, owner).operator.previewPlanChange({
            organizationId: org.id,
            planKey: "pro",
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });

  it("refuses an unknown plan (400), the same plan and no paid subscription (412)", async () => {
    const org = await localPro("Refusals Co");
    const trial = await createOrganization(db, owner, "Trial Co");
    const api = callerFor(db, admin);
    const unknown = await failure(
      api.operator.changePlan({ organizationId: org.id, planKey: "platinum" }),
    );
    expect(unknown.code).toBe("BAD_REQUEST");
    const notSold = await failure(
      api.operator.changePlan({ organizationId: org.id, planKey: "trial" }),
    );
    expect(notSold.code).toBe("BAD_REQUEST");
    const same = await failure(api.operator.changePlan({ organizationId: org.id, planKey: "pro" }));
    expect(same.code).toBe("PRECONDITION_FAILED");
    const none = await failure(
      api.operator.changePlan({ organizationId: trial.id, planKey: "pro" }),
    );
    expect(none.code).toBe("PRECONDITION_FAILED");
    const cancelNone = await failure(
      api.operator.cancelSubscription({ organizationId: trial.id, when: "now" }),
    );
    expect(cancelNone.code).toBe("PRECONDITION_FAILED");
    const missing = await failure(
      api.operator.subscription({ organizationId: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(missing.code).toBe("NOT_FOUND");
    expect(await auditEntries(org.id)).toEqual([]);
  });

  it("cancels at the period end, resumes, then cancels now: status follows, each audited", async () => {
    const org = await localPro("Cancel Co");
    const api = callerFor(db, admin);
    const pending = await api.operator.cancelSubscription({
      organizationId: org.id,
      when: "period_end",
    });
    expect(pending.subscription).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true });
    expect(
      (
        await failure(
          api.operator.cancelSubscription({ organizationId: org.id, when: "period_end" }),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
    const resumed = await api.operator.resumeSubscription({ organizationId: org.id });
    expect(resumed.subscription).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: false });
    expect((await failure(api.operator.resumeSubscription({ organizationId: org.id }))).code).toBe(
      "PRECONDITION_FAILED",
    );
    const ended = await api.operator.cancelSubscription({ organizationId: org.id, when: "now" });
    expect(ended.subscription).toMatchObject({ status: "CANCELED", manageable: false });
    expect(ended.subscription?.canceledAt).toBeInstanceOf(Date);
    const overview = await callerFor(db, owner).organization.get({ organizationId: org.id });
    expect(overview).toMatchObject({ status: "inactive", access: "read_only" });
    expect((await auditEntries(org.id)).map((entry) => [entry.action, entry.actorId])).toEqual([
      ["operator.subscription_canceled", admin.id],
      ["operator.subscription_resumed", admin.id],
      ["operator.subscription_ended", admin.id],
    ]);
  });

  it("refuses a regular user (FORBIDDEN), even the organization's owner, and changes nothing", async () => {
    const org = await localPro("Guarded Co");
    const api = callerFor(db, owner);
    for (const call of [
      () => api.operator.subscription({ organizationId: org.id }),
      () => api.operator.changePlan({ organizationId: org.id, planKey: "enterprise" }),
      () => api.operator.cancelSubscription({ organizationId: org.id, when: "now" }),
      () => api.operator.resumeSubscription({ organizationId: org.id }),
    ]) {
      expect((await failure(call())).code).toBe("FORBIDDEN");
    }
    expect(
      await db.system.subscription.findUniqueOrThrow({ where: { organizationId: org.id } }),
    ).toMatchObject({ planKey: "pro", status: "ACTIVE", cancelAtPeriodEnd: false });
  });
});

describe("Stripe", () => {
  /** An organization with a Stripe customer subscribed to Pro monthly, mirrored. */
  async function stripePro(name: string) {
    const org = await createOrganization(db, owner, name);
    const deps = { db, stripe, catalog: product.catalog };
    const customerId = await ensureStripeCustomer(deps, org.id);
    const pro = product.catalog.getPlan("pro");
    if (!pro) throw new Error("no pro plan");
    const { subscriptionId } = server.createSubscription(customerId, lookupKeysFor(pro, "month"), {
      metadata: { organizationId: org.id, plinth_plan: "pro" },
    });
    await syncStripeCustomer(deps, { organizationId: org.id, customerId });
    return { org, subscriptionId };
  }
  const stripeLookupKeys = (subscriptionId: string) =>
    server
      .subscriptionObject(subscriptionId)
      .items.data.map((item) => item.price.lookup_key)
      .sort();

  it("changes the plan at Stripe with prorations; the mirror and entitlements follow", async () => {
    const { org, subscriptionId } = await stripePro("Stripe Upgrade Co");
    const api = callerFor(db, admin, { billing: stripeBilling });
    const view = await api.operator.changePlan({ organizationId: org.id, planKey: "enterprise" });
    expect(view.subscription).toMatchObject({ plan: { key: "enterprise" }, provider: "stripe" });
    const enterprise = product.catalog.getPlan("enterprise");
    if (!enterprise) throw new Error("no enterprise plan");
    expect(stripeLookupKeys(subscriptionId)).toEqual(lookupKeysFor(enterprise, "month").sort());
    const update = server.requests.findLast(
      (request) =>
        request.method === "POST" && request.path === `/v1/subscriptions/${subscriptionId}`,
    );
    // As the customer's own upgrade: prorated and invoiced at once.
    expect(update?.params).toMatchObject({ proration_behavior: "always_invoice" });
    const after = await callerFor(db, owner, { billing: stripeBilling }).organization.get({
      organizationId: org.id,
    });
    expect(after).toMatchObject({ plan: { key: "enterprise" }, features: { sso: true } });
    expect(await auditEntries(org.id)).toEqual([
      expect.objectContaining({
        organizationId: null,
        actorId: admin.id,
        action: "operator.plan_changed",
      }) as unknown,
    ]);
  });

  it("previews the change with Stripe's invoice preview, then charges at its proration date", async () => {
    const { org, subscriptionId } = await stripePro("Stripe Preview Co");
    const api = callerFor(db, admin, { billing: stripeBilling });
    const preview = await api.operator.previewPlanChange({
      organizationId: org.id,
      planKey: "enterprise",
    });
    expect(preview).toMatchObject({
      provider: "stripe",
      direction: "upgrade",
      to: { key: "enterprise" },
    });
    const asked = server.requests.findLast((r) => r.path === "/v1/invoices/create_preview");
    expect(asked?.params).toMatchObject({ subscription: subscriptionId });
    expect(preview.lines.some((line) => line.proration)).toBe(true);
    // Nothing changed at Stripe: still Pro.
    const pro = product.catalog.getPlan("pro");
    if (!pro) throw new Error("no pro plan");
    expect(stripeLookupKeys(subscriptionId)).toEqual(lookupKeysFor(pro, "month").sort());
    await api.operator.changePlan({
      organizationId: org.id,
      planKey: "enterprise",
      prorationDate: preview.prorationDate,
    });
    const update = server.requests.findLast(
      (request) =>
        request.method === "POST" && request.path === `/v1/subscriptions/${subscriptionId}`,
    );
    expect(update?.params).toMatchObject({ proration_date: String(preview.prorationDate) });
  });

  it("cancels at the period end and resumes at Stripe, then ends the subscription now", async () => {
    const { org, subscriptionId } = await stripePro("Stripe Cancel Co");
    const api = callerFor(db, admin, { billing: stripeBilling });
    const pending = await api.operator.cancelSubscription({
      organizationId: org.id,
      when: "period_end",
    });
    expect(pending.subscription).toMatchObject({ cancelAtPeriodEnd: true, status: "ACTIVE" });
    expect(server.subscriptionObject(subscriptionId).cancel_at_period_end).toBe(true);
    await api.operator.resumeSubscription({ organizationId: org.id });
    expect(server.subscriptionObject(subscriptionId).cancel_at_period_end).toBe(false);
    const ended = await api.operator.cancelSubscription({ organizationId: org.id, when: "now" });
    expect(server.subscriptionObject(subscriptionId).status).toBe("canceled");
    expect(ended.subscription).toMatchObject({ status: "CANCELED", provider: "stripe" });
    expect((await auditEntries(org.id)).map((entry) => entry.action)).toEqual([
      "operator.subscription_canceled",
      "operator.subscription_resumed",
      "operator.subscription_ended",
    ]);
  });
});
