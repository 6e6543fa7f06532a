import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { billingProvider } from "../src/stripe/client.ts";
import { parseBillingEnv } from "../src/env.ts";
import { activatePlanLocally, expireLocalSubscriptions } from "../src/local/provider.ts";
import * as billing from "../src/service.ts";
import { demoCatalog } from "./catalog.ts";

let db: TestDatabase;
let service: billing.BillingServiceDeps;
beforeAll(async () => {
  db = await createTestDatabase();
  service = { db, stripe: null, catalog: demoCatalog };
});
afterAll(() => db.drop());

const org = () =>
  db.system.organization.create({
    data: {
      name: "Local",
      slug: `local-${Math.random().toString(36).slice(2)}`,
      trialEndsAt: new Date(Date.now() + 5 * 86_400_000),
    },
  });

describe("configuration", () => {
  it("uses the local provider without a Stripe key", () => {
    expect(billingProvider(parseBillingEnv({}))).toBe("local");
    expect(billingProvider(parseBillingEnv({ STRIPE_SECRET_KEY: "sk_test_x" }))).toBe("stripe");
    expect(parseBillingEnv({}).BILLING_PAST_DUE_GRACE_DAYS).toBe(7);
    expect(() => parseBillingEnv({ STRIPE_API_PROTOCOL: "ftp" })).toThrow(
      /Invalid billing configuration/,
    );
  });
});

describe("local billing provider", () => {
  it("checkout points at the test-mode page, which activates the plan immediately", async () => {
    const o = await org();
    const overview0 = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview0).toMatchObject({
      provider: "local",
      plan: { key: "trial" },
      status: "trialing",
    });
    const started = await billing.startCheckout(service, {
      organizationId: o.id,
      planKey: "pro",
      interval: "year",
      successUrl: "/billing",
      cancelUrl: "/billing",
    });
    expect(started).toMatchObject({ provider: "local" });
    expect(started.url).toMatch(/^\/billing\/test-checkout\?plan=pro&interval=year/);
    await activatePlanLocally(db, demoCatalog, o.id, "pro", "year");
    const overview = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview).toMatchObject({
      provider: "local",
      plan: { key: "pro" },
      status: "active",
      interval: "year",
      subscriptionStatus: "ACTIVE",
    });
    // The test-mode checkout records a paid test-mode invoice, so the invoices list works offline.
    const invoices = await billing.listInvoices(service, { organizationId: o.id });
    expect(invoices).toEqual([
      expect.objectContaining({
        provider: "local",
        status: "paid",
        amountDue: 29_000,
        amountPaid: 29_000,
        number: expect.stringMatching(/^TEST-/) as unknown,
      }),
    ]);
    expect(await billing.getPaymentMethods(service, { organizationId: o.id })).toEqual({
      provider: "local",
      card: null,
      portalAvailable: false,
    });
    expect(
      (await billing.openPortal(service, { organizationId: o.id, returnUrl: "/" })).url,
    ).toBeNull();
  });

  it("changes plan, cancels at period end, resumes, and expires after the period", async () => {
    const o = await org();
    const start = new Date(Date.UTC(2026, 10, 1));
    await activatePlanLocally(db, demoCatalog, o.id, "pro", "month", start);
    // Half-way through the period: half of Pro credited, half of Enterprise charged.
    const halfway = new Date(start.getTime() + 15 * 86_400_000);
    const localService = { ...service, now: () => halfway };
    const up = await billing.previewPlanChange(localService, {
      organizationId: o.id,
      planKey: "enterprise",
      interval: "month",
    });
    expect(up).toMatchObject({
      provider: "local",
      direction: "upgrade",
      amountDue: 8_500,
      prorationAmount: 8_500,
    });
    expect(up.lines.map((line) => line.amount)).toEqual([-1_450, 9_950]);
    await billing.changePlan(localService, {
      organizationId: o.id,
      planKey: "enterprise",
      interval: "month",
    });
    const changed = await billing.getBillingOverview(localService, { organizationId: o.id });
    expect(changed.plan.key).toBe("enterprise");
    expect(changed.renewsAt?.getTime()).toBe(new Date(Date.UTC(2026, 11, 1)).getTime()); // period kept
    expect(
      (await billing.listInvoices(service, { organizationId: o.id })).map((i) => i.amountDue),
    ).toEqual([8_500, 2_900]);
    const down = await billing.previewPlanChange(localService, {
      organizationId: o.id,
      planKey: "pro",
      interval: "month",
    });
    expect(down).toMatchObject({ direction: "downgrade", amountDue: 0 });
    expect(down.prorationAmount).toBeLessThan(0);
    await expect(
      billing.changePlan(localService, {
        organizationId: o.id,
        planKey: "enterprise",
        interval: "month",
      }),
    ).rejects.toThrow(/Already on enterprise/);
    const canceled = await billing.cancelAtPeriodEnd(service, { organizationId: o.id });
    expect(canceled.renewsAt).toBeNull();
    expect(canceled.endsAt).toBeInstanceOf(Date);
    const resumed = await billing.resume(service, { organizationId: o.id });
    expect(resumed.endsAt).toBeNull();
    await billing.cancelAtPeriodEnd(service, { organizationId: o.id });
    expect(
      await expireLocalSubscriptions(db, new Date(Date.now() + 40 * 86_400_000)),
    ).toBeGreaterThanOrEqual(1);
    expect(await billing.getBillingOverview(service, { organizationId: o.id })).toMatchObject({
      status: "inactive",
      access: "read_only",
    });
  });

  it("refuses non-purchasable plans and reports usage against included quotas", async () => {
    const o = await org();
    await expect(activatePlanLocally(db, demoCatalog, o.id, "trial", "month")).rejects.toThrow(
      /cannot be bought/,
    );
    await activatePlanLocally(db, demoCatalog, o.id, "hybrid", "month");
    const sub = await db.system.subscription.findUniqueOrThrow({ where: { organizationId: o.id } });
    await db.system.usageCounter.create({
      data: {
        organizationId: o.id,
        meter: "ai.tasks",
        periodStart: sub.currentPeriodStart!,
        quantity: 2_100,
      },
    });
    const overview = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview.usage.find((u) => u.meter === "ai.tasks")).toEqual({
      meter: "ai.tasks",
      used: 2_100,
      included: 2_000,
      overage: 100,
      metered: true,
    });
  });
});

describe("local cancel now and customer deletion", () => {
  it("ends the subscription at once, and deletes its record as the customer (then: already gone)", async () => {
    const o = await org();
    await activatePlanLocally(db, demoCatalog, o.id, "pro", "month");
    const overview = await billing.cancelNow(service, { organizationId: o.id });
    expect(overview).toMatchObject({ subscriptionStatus: "CANCELED", access: "read_only" });
    await expect(billing.cancelNow(service, { organizationId: o.id })).rejects.toThrow(
      /No active local subscription/,
    );
    const customer = { provider: "local" as const, organizationId: o.id, customerId: null };
    expect(await billing.deleteCustomer(service, { ...customer, subscriptionIds: [] })).toEqual({
      alreadyGone: false,
    });
    expect(await db.system.subscription.findUnique({ where: { organizationId: o.id } })).toBeNull();
    expect(await billing.deleteCustomer(service, { ...customer, subscriptionIds: [] })).toEqual({
      alreadyGone: true,
    });
  });

  it("refuses a Stripe customer's deletion without a Stripe client (the job retries)", async () => {
    await expect(
      billing.deleteCustomer(service, {
        provider: "stripe",
        organizationId: "gone",
        customerId: "cus_gone",
        subscriptionIds: [],
      }),
    ).rejects.toMatchObject({ code: "UNSUPPORTED" });
  });
});
