// The demo seeder: every plan's organization, with usage on the metered ones so the billing
// page's usage-vs-quota table shows numbers, and a test-mode invoice for the paid ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getBillingOverview } from "@plinth/billing/service";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { DEMO_ACCOUNTS, seed } from "../prisma/seed.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seed(db.url);
});
afterAll(() => db.drop());

async function overviewOf(email: string) {
  const user = await db.system.user.findUniqueOrThrow({
    where: { email },
    include: { memberships: true },
  });
  return getBillingOverview(
    { db, stripe: null },
    { organizationId: user.memberships[0]!.organizationId },
  );
}

describe("demo seed", () => {
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
    expect(await db.system.invoice.count({ where: { provider: "LOCAL" } })).toBe(4);
  });

  it("is idempotent", async () => {
    await seed(db.url);
    expect(await db.system.usageCounter.count()).toBe(6);
    expect(await db.system.organization.count()).toBe(DEMO_ACCOUNTS.length);
  });
});
