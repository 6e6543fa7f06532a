// dailyUsage: one meter's usage per UTC day (rollups + the unfolded tail of usage_events; no
// rollup has run here, so all of it is tail), zero-filled, scoped to the
// organization (and, under a tenant transaction, to what row-level security lets it see).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { DAILY_USAGE_MAX_DAYS, dailyUsage } from "../src/daily-usage.ts";

let db: TestDatabase;
let acme: string;
let other: string;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
  acme = (await db.system.organization.create({ data: { name: "Acme", slug: "acme-daily" } })).id;
  other = (await db.system.organization.create({ data: { name: "Other", slug: "other-daily" } }))
    .id;
  // usage_events is partitioned by month: the test's months need their partitions.
  await db.system
    .$queryRaw`SELECT usage_events_create_partitions('2026-10-01'::timestamp, '2026-12-31'::timestamp)`;
  await db.system.usageEvent.createMany({
    data: [
      // Two events on Nov 2 (one a millisecond before midnight UTC), one on Nov 4.
      {
        organizationId: acme,
        meter: "api.requests",
        quantity: 5,
        occurredAt: at("2026-11-02T00:00:00Z"),
      },
      {
        organizationId: acme,
        meter: "api.requests",
        quantity: 7,
        occurredAt: at("2026-11-02T23:59:59.999Z"),
      },
      {
        organizationId: acme,
        meter: "api.requests",
        quantity: 11,
        occurredAt: at("2026-11-04T08:00:00Z"),
      },
      // Outside the range, another meter, another organization: none of them count.
      {
        organizationId: acme,
        meter: "api.requests",
        quantity: 100,
        occurredAt: at("2026-11-05T00:00:00Z"),
      },
      {
        organizationId: acme,
        meter: "ai.tasks",
        quantity: 3,
        occurredAt: at("2026-11-02T12:00:00Z"),
      },
      {
        organizationId: other,
        meter: "api.requests",
        quantity: 1000,
        occurredAt: at("2026-11-02T12:00:00Z"),
      },
    ],
  });
});
afterAll(() => db.drop());

describe("dailyUsage", () => {
  it("sums each UTC day, fills days without usage with 0, includes both end days", async () => {
    const days = await dailyUsage(db.system, {
      organizationId: acme,
      meter: "api.requests",
      from: at("2026-11-01T15:00:00Z"),
      to: at("2026-11-04T09:30:00Z"),
    });
    expect(days).toEqual([
      { day: "2026-11-01", quantity: 0 },
      { day: "2026-11-02", quantity: 12 },
      { day: "2026-11-03", quantity: 0 },
      { day: "2026-11-04", quantity: 11 },
    ]);
  });

  it("counts only the asked meter of the asked organization", async () => {
    const range = { from: at("2026-11-02T00:00:00Z"), to: at("2026-11-02T00:00:00Z") };
    expect(
      await dailyUsage(db.system, { organizationId: acme, meter: "ai.tasks", ...range }),
    ).toEqual([{ day: "2026-11-02", quantity: 3 }]);
    expect(
      await dailyUsage(db.system, { organizationId: other, meter: "api.requests", ...range }),
    ).toEqual([{ day: "2026-11-02", quantity: 1000 }]);
  });

  it("under a tenant transaction, another organization's rows stay invisible", async () => {
    // Asking for `other` while row-level security is set to Acme: the filter says other, the
    // policy says Acme, so nothing matches.
    const days = await tenantTransaction(db.app, { organizationId: acme }, (tx) =>
      dailyUsage(tx, {
        organizationId: other,
        meter: "api.requests",
        from: at("2026-11-02T00:00:00Z"),
        to: at("2026-11-02T00:00:00Z"),
      }),
    );
    expect(days).toEqual([{ day: "2026-11-02", quantity: 0 }]);
  });

  it("answers an empty list for a reversed range and refuses more than a year", async () => {
    expect(
      await dailyUsage(db.system, {
        organizationId: acme,
        meter: "api.requests",
        from: at("2026-11-04T00:00:00Z"),
        to: at("2026-11-03T00:00:00Z"),
      }),
    ).toEqual([]);
    await expect(
      dailyUsage(db.system, {
        organizationId: acme,
        meter: "api.requests",
        from: at("2025-01-01T00:00:00Z"),
        to: new Date(at("2025-01-01T00:00:00Z").getTime() + DAILY_USAGE_MAX_DAYS * 86_400_000),
      }),
    ).rejects.toThrow(RangeError);
  });
});
