// The demo seeder: every plan's organization, with usage on the metered ones so the billing
// page's usage-vs-quota table and daily chart show numbers, test-mode invoices for the paid
// ones, and a year of customer history for the operator console's charts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyUsage } from "@plinth/billing/daily-usage";
import { resolveAccess } from "@plinth/billing/entitlements";
import { billingEnv } from "@plinth/billing/env";
import { getBillingOverview } from "@plinth/billing/service";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { TERMS_CONSENT_VERSION } from "@plinth/platform/contracts";
import { activeProduct } from "@plinth/product";
import { CUSTOMER_COUNT, DEMO_ACCOUNTS, PERIOD_DAYS_ELAPSED, seed } from "../prisma/seed.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.url);
});
afterAll(() => db.drop());

async function organizationOf(email: string) {
  const user = await db.system.user.findUniqueOrThrow({
    where: { email },
    include: { memberships: true },
  });
  return user.memberships[0]!.organizationId;
}

async function overviewOf(email: string) {
  return getBillingOverview(
    { db, catalog: activeProduct().catalog, stripe: null },
    { organizationId: await organizationOf(email) },
  );
}

describe("demo seed", () => {
  it("lets every user with a password sign in past the terms step (the terms in force accepted)", async () => {
    const users = await db.system.user.findMany({
      where: { passwordHash: { not: null } },
      select: { email: true, consents: { select: { kind: true, version: true, granted: true } } },
    });
    expect(users.length).toBeGreaterThan(DEMO_ACCOUNTS.length);
    for (const user of users) {
      expect(user.consents, user.email).toEqual([
        { kind: "TERMS", version: TERMS_CONSENT_VERSION, granted: true },
      ]);
    }
  });

  it("gives the metered demo organizations usage against their quotas", async () => {
    const hybrid = await overviewOf(DEMO_ACCOUNTS[4].email);
    expect(hybrid.plan.key).toBe("hybrid");
    expect(hybrid.usage.find((u) => u.meter === "ai.tasks")).toEqual({
      meter: "ai.tasks",
      used: 2_150,
      included: 2_000,
      overage: 150,
      metered: true,
    });
    const payg = await overviewOf(DEMO_ACCOUNTS[3].email);
    expect(payg.usage.find((u) => u.meter === "api.requests")?.used).toBe(12_840);
    const trial = await overviewOf(DEMO_ACCOUNTS[0].email);
    expect(trial.usage.every((u) => u.used === 0)).toBe(true);
    expect(trial.status).toBe("trialing");
  });

  it("spreads the period's usage over its days, adding up to the counters", async () => {
    const organizationId = await organizationOf(DEMO_ACCOUNTS[4].email);
    const overview = await overviewOf(DEMO_ACCOUNTS[4].email);
    const days = await dailyUsage(db.system, {
      organizationId,
      meter: "api.requests",
      from: overview.periodStart,
      to: new Date(),
    });
    expect(days).toHaveLength(PERIOD_DAYS_ELAPSED + 1);
    expect(days.reduce((sum, day) => sum + day.quantity, 0)).toBe(182_500);
    // Every past day has usage, and not the same amount every day.
    expect(days.slice(0, -1).every((day) => day.quantity > 0)).toBe(true);
    expect(new Set(days.map((day) => day.quantity)).size).toBeGreaterThan(5);
  });

  it("bills the demo customers monthly since they subscribed", async () => {
    const pro = await organizationOf(DEMO_ACCOUNTS[1].email);
    const invoices = await db.system.invoice.findMany({ where: { organizationId: pro } });
    expect(invoices).toHaveLength(DEMO_ACCOUNTS[1].customerForMonths + 1);
    expect(invoices.every((invoice) => invoice.status === "paid")).toBe(true);
    const subscription = await db.system.subscription.findUniqueOrThrow({
      where: { organizationId: pro },
    });
    expect(subscription.startedAt!.getTime()).toBeLessThan(Date.now() - 250 * 86_400_000);
  });

  it("has a year of customers: sign-ups every few weeks, conversions and churn", async () => {
    const organizations = await db.system.organization.findMany({
      select: { createdAt: true, subscription: true },
    });
    expect(organizations).toHaveLength(DEMO_ACCOUNTS.length + CUSTOMER_COUNT);
    const signUpMonths = new Set(organizations.map((o) => o.createdAt.toISOString().slice(0, 7)));
    expect(signUpMonths.size).toBeGreaterThanOrEqual(9);
    const subscriptions = organizations.map((o) => o.subscription!);
    const paying = subscriptions.filter((s) => s.status === "ACTIVE");
    const churned = subscriptions.filter((s) => s.status === "CANCELED");
    expect(paying.length).toBeGreaterThan(CUSTOMER_COUNT / 2);
    expect(churned.length).toBeGreaterThan(0);
    expect(churned.every((s) => s.canceledAt && s.startedAt && s.canceledAt > s.startedAt)).toBe(
      true,
    );
    expect(subscriptions.filter((s) => s.status === "TRIALING").length).toBeGreaterThan(0);
  });

  it("requests hosted workspaces only for organizations that may write (the worker would provision, then suspend them)", async () => {
    const organizations = await db.system.organization.findMany({
      select: { id: true, trialEndsAt: true, createdAt: true, subscription: true },
    });
    const now = new Date();
    const readOnly = organizations.filter(
      (organization) =>
        resolveAccess({
          organization,
          subscription: organization.subscription,
          now,
          pastDueGraceDays: billingEnv().BILLING_PAST_DUE_GRACE_DAYS,
        }).access === "read_only",
    );
    expect(readOnly.length).toBeGreaterThan(0);
    const workspaces = await db.system.hostingWorkspace.findMany({
      select: { organizationId: true },
    });
    expect(workspaces.length).toBeGreaterThan(0);
    const readOnlyIds = new Set(readOnly.map((organization) => organization.id));
    expect(workspaces.filter((workspace) => readOnlyIds.has(workspace.organizationId))).toEqual([]);
  });

  it("is idempotent", async () => {
    const counters = await db.system.usageCounter.count();
    const events = await db.system.usageEvent.count();
    await seed(db.url);
    expect(await db.system.usageCounter.count()).toBe(counters);
    expect(await db.system.usageEvent.count()).toBe(events);
    expect(await db.system.organization.count()).toBe(DEMO_ACCOUNTS.length + CUSTOMER_COUNT);
  });
});
