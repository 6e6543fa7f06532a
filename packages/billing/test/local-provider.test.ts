import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { billingProvider } from "../src/stripe/client.ts";
import { parseBillingEnv } from "../src/env.ts";
import { activatePlanLocally, expireLocalSubscriptions } from "../src/local/provider.ts";
import * as billing from "../src/service.ts";

let db: TestDatabase;
let service: billing.BillingServiceDeps;
beforeAll(async () => {
  db = await createTestDatabase();
  service = { db, stripe: null };
});
afterAll(() => db.drop());

const org = () => db.system.organization.create({ data: { name: "Local", slug: `local-${Math.random().toString(36).slice(2)}`, trialEndsAt: new Date(Date.now() + 5 * 86_400_000) } });

describe("configuration", () => {
  it("uses the local provider without a Stripe key", () => {
    expect(billingProvider(parseBillingEnv({}))).toBe("local");
    expect(billingProvider(parseBillingEnv({ STRIPE_SECRET_KEY: "sk_test_x" }))).toBe("stripe");
    expect(parseBillingEnv({}).BILLING_PAST_DUE_GRACE_DAYS).toBe(7);
    expect(() => parseBillingEnv({ STRIPE_API_PROTOCOL: "ftp" })).toThrow(/Invalid billing configuration/);
  });
});

describe("local billing provider", () => {
  it("checkout points at the test-mode page, which activates the plan immediately", async () => {
    const o = await org();
    const overview0 = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview0).toMatchObject({ provider: "local", plan: { key: "trial" }, status: "trialing" });
    const started = await billing.startCheckout(service, { organizationId: o.id, planKey: "pro", interval: "year", successUrl: "/billing", cancelUrl: "/billing" });
    expect(started).toMatchObject({ provider: "local" });
    expect(started.url).toMatch(/^\/billing\/test-checkout\?plan=pro&interval=year/);
    await activatePlanLocally(db, o.id, "pro", "year");
    const overview = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview).toMatchObject({ provider: "local", plan: { key: "pro" }, status: "active", interval: "year", subscriptionStatus: "ACTIVE" });
    expect(await billing.listInvoices(service, { organizationId: o.id })).toEqual([]);
    expect((await billing.openPortal(service, { organizationId: o.id, returnUrl: "/" })).url).toBeNull();
  });

  it("changes plan, cancels at period end, resumes, and expires after the period", async () => {
    const o = await org();
    await activatePlanLocally(db, o.id, "pro", "month");
    expect(await billing.previewPlanChange(service, { organizationId: o.id, planKey: "enterprise", interval: "month" })).toMatchObject({ amountDue: 0 });
    await billing.changePlan(service, { organizationId: o.id, planKey: "enterprise", interval: "month" });
    expect((await billing.getBillingOverview(service, { organizationId: o.id })).plan.key).toBe("enterprise");
    const canceled = await billing.cancelAtPeriodEnd(service, { organizationId: o.id });
    expect(canceled.renewsAt).toBeNull();
    expect(canceled.endsAt).toBeInstanceOf(Date);
    const resumed = await billing.resume(service, { organizationId: o.id });
    expect(resumed.endsAt).toBeNull();
    await billing.cancelAtPeriodEnd(service, { organizationId: o.id });
    expect(await expireLocalSubscriptions(db, new Date(Date.now() + 40 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect(await billing.getBillingOverview(service, { organizationId: o.id })).toMatchObject({ status: "inactive", access: "read_only" });
  });

  it("refuses non-purchasable plans and reports usage against included quotas", async () => {
    const o = await org();
    await expect(activatePlanLocally(db, o.id, "trial", "month")).rejects.toThrow(/cannot be bought/);
    await activatePlanLocally(db, o.id, "hybrid", "month");
    const sub = await db.system.subscription.findUniqueOrThrow({ where: { organizationId: o.id } });
    await db.system.usageCounter.create({ data: { organizationId: o.id, meter: "ai.tasks", periodStart: sub.currentPeriodStart!, quantity: 2_100 } });
    const overview = await billing.getBillingOverview(service, { organizationId: o.id });
    expect(overview.usage.find((u) => u.meter === "ai.tasks")).toEqual({ meter: "ai.tasks", used: 2_100, included: 2_000, overage: 100, metered: true });
  });
});
