// billing.dailyUsage: each meter per UTC day of the billing period (the billing page's chart),
// for every member; ranges are validated like any input.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { addMember, callerFor, createOrganization, createUser } from "./kit.ts";

let db: TestDatabase;
const local = { stripe: null, appUrl: "http://app.test", pastDueGraceDays: 7 };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { code: error.code };
}

async function orgWithMember(name: string) {
  const owner = await createUser(db, `owner-${name}@usage.test`);
  const member = await createUser(db, `member-${name}@usage.test`);
  const org = await createOrganization(db, owner, name);
  await addMember(db, org.id, member, "MEMBER");
  return { owner, member, org };
}

describe("daily usage", () => {
  it("gives members each meter per day of the period, with the included amount", async () => {
    const { member, org } = await orgWithMember("Daily Co");
    const now = new Date("2026-11-20T10:00:00Z");
    await db.system.subscription.update({
      where: { organizationId: org.id },
      data: {
        planKey: "hybrid",
        status: "ACTIVE",
        currentPeriodStart: new Date("2026-11-17T00:00:00Z"),
        currentPeriodEnd: new Date("2026-12-17T00:00:00Z"),
      },
    });
    // usage_events is partitioned by month: the test's months need their partitions.
    await db.system
      .$queryRaw`SELECT usage_events_create_partitions('2026-11-01'::timestamp, '2026-12-31'::timestamp)`;
    await db.system.usageEvent.createMany({
      data: [
        {
          organizationId: org.id,
          meter: "api.requests",
          quantity: 40,
          occurredAt: new Date("2026-11-17T09:00:00Z"),
        },
        {
          organizationId: org.id,
          meter: "api.requests",
          quantity: 2,
          occurredAt: new Date("2026-11-19T09:00:00Z"),
        },
        {
          organizationId: org.id,
          meter: "ai.tasks",
          quantity: 9,
          occurredAt: new Date("2026-11-20T08:00:00Z"),
        },
        // Before the period: not in the default range.
        {
          organizationId: org.id,
          meter: "api.requests",
          quantity: 500,
          occurredAt: new Date("2026-11-16T09:00:00Z"),
        },
      ],
    });
    const usage = await callerFor(db, member, {
      billing: local,
      now: () => now,
    }).billing.dailyUsage({
      organizationId: org.id,
    });
    expect(usage.series.map((s) => s.meter)).toEqual([
      "api.requests",
      "test.runs",
      "browser.minutes",
      "ai.tasks",
      "ai.tokens",
      "session.minutes",
      "api.units",
    ]);
    expect(usage.series[0]).toEqual({
      meter: "api.requests",
      label: "API requests",
      included: 250_000,
      total: 42,
      points: [
        { day: "2026-11-17", quantity: 40 },
        { day: "2026-11-18", quantity: 0 },
        { day: "2026-11-19", quantity: 2 },
        { day: "2026-11-20", quantity: 0 },
      ],
    });
    expect(usage.series.find((s) => s.meter === "ai.tasks")?.total).toBe(9);

    const explicit = await callerFor(db, member, {
      billing: local,
      now: () => now,
    }).billing.dailyUsage({
      organizationId: org.id,
      meters: ["api.requests"],
      from: new Date("2026-11-16T00:00:00Z"),
      to: new Date("2026-11-16T23:00:00Z"),
    });
    expect(explicit.series).toEqual([
      {
        meter: "api.requests",
        label: "API requests",
        included: 250_000,
        total: 500,
        points: [{ day: "2026-11-16", quantity: 500 }],
      },
    ]);
  });

  it("refuses a half-given or too long range as a bad request", async () => {
    const { member, org } = await orgWithMember("Range Co");
    const caller = callerFor(db, member, { billing: local });
    const half = await refusal(
      caller.billing.dailyUsage({ organizationId: org.id, from: new Date("2026-01-01") }),
    );
    expect(half.code).toBe("BAD_REQUEST");
    const long = await refusal(
      caller.billing.dailyUsage({
        organizationId: org.id,
        from: new Date("2024-01-01"),
        to: new Date("2026-01-01"),
      }),
    );
    expect(long.code).toBe("BAD_REQUEST");
  });
});
