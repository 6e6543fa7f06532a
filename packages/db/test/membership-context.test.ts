// app_membership_context(): the one-statement membership check on every tenant request.
// It runs with its owner's rights, so it must answer for exactly the given pair and nothing
// else, and the app role must not gain any other read through it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMembershipContext } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";

let db: TestDatabase;
let orgA: string;
let orgB: string;
let alice: string;
let bob: string;
const periodStart = new Date("2026-11-01T00:00:00.000Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const [a, b] = await Promise.all([
    db.system.organization.create({
      data: { name: "A", slug: "ctx-a", trialEndsAt: new Date("2026-12-01T12:00:00.000Z") },
    }),
    db.system.organization.create({ data: { name: "B", slug: "ctx-b" } }),
  ]);
  orgA = a.id;
  orgB = b.id;
  const [userA, userB] = await Promise.all([
    db.system.user.create({ data: { email: "alice@ctx.test" } }),
    db.system.user.create({ data: { email: "bob@ctx.test" } }),
  ]);
  alice = userA.id;
  bob = userB.id;
  await db.system.membership.createMany({
    data: [
      { organizationId: orgA, userId: alice, role: "ADMIN" },
      { organizationId: orgB, userId: bob, role: "OWNER" },
    ],
  });
  await db.system.subscription.create({
    data: {
      organizationId: orgB,
      planKey: "pro",
      status: "PAST_DUE",
      currentPeriodStart: periodStart,
      cancelAtPeriodEnd: true,
    },
  });
});
afterAll(() => db.drop());

describe("findMembershipContext", () => {
  it("returns the role, organization and (absent) subscription of a member", async () => {
    const context = await findMembershipContext(db.app, orgA, alice);
    expect(context).toEqual({
      role: "ADMIN",
      organization: {
        id: orgA,
        name: "A",
        slug: "ctx-a",
        trialEndsAt: new Date("2026-12-01T12:00:00.000Z"),
        createdAt: expect.any(Date) as unknown,
      },
      subscription: null,
    });
  });

  it("returns the subscription state with dates intact", async () => {
    const context = await findMembershipContext(db.app, orgB, bob);
    expect(context?.role).toBe("OWNER");
    expect(context?.subscription).toEqual({
      planKey: "pro",
      status: "PAST_DUE",
      trialEndsAt: null,
      pastDueSince: null,
      currentPeriodStart: periodStart,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: true,
    });
  });

  it("answers null for another tenant's organization and for unknown ids", async () => {
    expect(await findMembershipContext(db.app, orgB, alice)).toBeNull();
    expect(await findMembershipContext(db.app, orgA, bob)).toBeNull();
    expect(await findMembershipContext(db.app, "missing", alice)).toBeNull();
  });

  it("gives the app role no other read: the tables stay hidden without a tenant", async () => {
    await findMembershipContext(db.app, orgA, alice);
    expect(await db.app.$queryRaw`SELECT * FROM memberships`).toEqual([]);
    expect(await db.app.$queryRaw`SELECT * FROM subscriptions`).toEqual([]);
  });
});
