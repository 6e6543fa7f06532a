// Rollups on a real PostgreSQL: hourly/daily sums and latency histograms from the events,
// p50/p95 from the histograms, a re-run adds nothing, an event committed late (its
// transaction was open during a run) is folded in by the next run, a rebuild of a bucket is
// idempotent and agrees with the incremental rows; partition maintenance creates ahead and
// drops past retention, keeping a partition the rollups have not read.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import {
  HISTOGRAM_LENGTH,
  LATENCY_BUCKETS_MS,
  addHistograms,
  bucketOf,
  createMeteringWriter,
  histogramQuantile,
  listUsagePartitions,
  maintainUsagePartitions,
  rebuildUsageRollups,
  rollupUsage,
} from "../src/index.ts";

let db: TestDatabase;
let org: string;
const PERIOD = new Date(Date.UTC(2026, 11, 1));
const H10 = Date.UTC(2026, 11, 1, 10);
const H11 = Date.UTC(2026, 11, 1, 11);

beforeAll(async () => {
  db = await createTestDatabase();
  org = (
    await db.system.organization.create({
      data: { name: "Rollup", slug: `rollup-${randomBytes(4).toString("hex")}` },
    })
  ).id;
});
afterAll(async () => {
  await db.drop();
});

async function write(
  events: { at: number; latencyMs: number | null; status: number; route?: string }[],
) {
  const writer = createMeteringWriter({ db: db.system, flushIntervalMs: 60_000 });
  for (const e of events) {
    writer.record({
      organizationId: org,
      apiKeyId: "key_1",
      meter: "api.requests",
      quantity: 1,
      periodStart: PERIOD,
      route: e.route ?? "/api/v1/projects",
      method: "GET",
      status: e.status,
      latencyMs: e.latencyMs,
      costMicroCents: 150,
      occurredAt: new Date(e.at),
    });
  }
  await writer.close();
}

const hourly = () =>
  db.system.usageRollupHourly.findMany({
    where: { organizationId: org },
    orderBy: [{ bucketStart: "asc" }, { route: "asc" }, { statusClass: "asc" }],
  });
const daily = () =>
  db.system.usageRollupDaily.findMany({
    where: { organizationId: org },
    orderBy: [{ bucketStart: "asc" }, { route: "asc" }, { statusClass: "asc" }],
  });

describe("latency histogram", () => {
  it("buckets like PostgreSQL's width_bucket over the same bounds", async () => {
    const samples = [0, 0.5, 1, 1.5, 2, 4.99, 5, 99, 100, 9_999, 10_000, 60_000];
    const [row] = await db.system.$queryRawUnsafe<{ buckets: number[] }[]>(
      `SELECT array_agg(width_bucket(v, ARRAY[${LATENCY_BUCKETS_MS.join(",")}]::real[]) ORDER BY i) AS buckets
       FROM unnest($1::real[]) WITH ORDINALITY AS t(v, i)`,
      samples,
    );
    expect(samples.map(bucketOf)).toEqual(row?.buckets);
  });

  it("computes quantiles by interpolating inside the bucket", () => {
    const histogram = Array<number>(HISTOGRAM_LENGTH).fill(0);
    histogram[bucketOf(3)] = 50; // [2, 5)
    histogram[bucketOf(60)] = 45; // [50, 100)
    histogram[bucketOf(400)] = 5; // [250, 500)
    expect(histogramQuantile(histogram, 0.5)).toBe(5);
    expect(histogramQuantile(histogram, 0.25)).toBe(3.5);
    expect(histogramQuantile(histogram, 0.95)).toBe(100);
    expect(histogramQuantile(histogram, 0.99)).toBe(450);
    expect(histogramQuantile(Array(HISTOGRAM_LENGTH).fill(0), 0.5)).toBeNull();
    expect(addHistograms([1, 2], [3, 4, 5])).toEqual([4, 6, 5]);
  });
});

describe("usage rollups", () => {
  it("folds events into hourly and daily rows; a re-run adds nothing", async () => {
    await write([
      ...Array.from({ length: 10 }, (_, i) => ({ at: H10 + i * 1_000, latencyMs: 3, status: 200 })),
      { at: H10 + 60_000, latencyMs: 700, status: 503 },
      { at: H10 + 61_000, latencyMs: null, status: 404 },
      ...Array.from({ length: 4 }, (_, i) => ({ at: H11 + i, latencyMs: 30, status: 201 })),
    ]);
    const first = await rollupUsage(db.system);
    expect(first.events).toBe(16);

    const rows = await hourly();
    expect(
      rows.map((row) => [
        row.bucketStart.toISOString(),
        row.statusClass,
        Number(row.calls),
        Number(row.errors),
        Number(row.latencyCount),
        row.latencySumMs,
        Number(row.costMicroCents),
      ]),
    ).toEqual([
      ["2026-12-01T10:00:00.000Z", 2, 10, 0, 10, 30, 1_500],
      ["2026-12-01T10:00:00.000Z", 4, 1, 0, 0, 0, 150],
      ["2026-12-01T10:00:00.000Z", 5, 1, 1, 1, 700, 150],
      ["2026-12-01T11:00:00.000Z", 2, 4, 0, 4, 120, 600],
    ]);
    expect(rows[0]?.latencyHistogram.map(Number)[bucketOf(3)]).toBe(10);
    expect(rows[0]?.latencyHistogram).toHaveLength(HISTOGRAM_LENGTH);

    const days = await daily();
    expect(days.map((row) => [row.statusClass, Number(row.calls)])).toEqual([
      [2, 14],
      [4, 1],
      [5, 1],
    ]);
    // p50/p95 for the endpoint over the day, from the rollups only.
    const histogram = days.reduce<number[]>(
      (sum, row) => addHistograms(sum, row.latencyHistogram),
      [],
    );
    // 15 timed calls: 10 in [2, 5), 4 in [25, 50), 1 in [500, 1000).
    expect(histogramQuantile(histogram, 0.5)).toBe(4.25); // rank 7.5: 2 + 7.5/10 × 3
    expect(histogramQuantile(histogram, 0.95)).toBe(625); // rank 14.25: 500 + 0.25 × 500

    const again = await rollupUsage(db.system);
    expect(again.events).toBe(0);
    expect(await hourly()).toEqual(rows);

    await write([{ at: H11 + 5, latencyMs: 30, status: 201 }]);
    expect((await rollupUsage(db.system)).events).toBe(1);
    expect(Number((await hourly()).at(-1)?.calls)).toBe(5);
  });

  it("does not lose an event whose transaction was still open during a run (nothing after it is folded until it ends)", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO usage_events (id, occurred_at, organization_id, meter, quantity, route, method, status)
         VALUES (gen_random_uuid(), $1, $2, 'api.requests', 1, '/late', 'GET', 200)`,
        [new Date(H10).toISOString(), org],
      );
      // A later transaction commits first, and a run happens meanwhile: it waits behind the
      // open one (the horizon is the oldest running transaction).
      await write([{ at: H10, latencyMs: 1, status: 200, route: "/early" }]);
      const during = await rollupUsage(db.system);
      expect(during.events).toBe(0);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    expect((await rollupUsage(db.system)).events).toBe(2);
    const late = (await hourly()).filter((row) => row.route === "/late");
    expect(late.map((row) => Number(row.calls))).toEqual([1]);
  });

  it("rebuilds a day's buckets idempotently, agreeing with the incremental rows", async () => {
    await rollupUsage(db.system);
    const incrementalHourly = await hourly();
    const incrementalDaily = await daily();
    // Damage a bucket, then repair it twice.
    await db.system.usageRollupHourly.updateMany({
      where: { organizationId: org },
      data: { calls: 999 },
    });
    const day = { from: new Date(H10), to: new Date(H11 + 1) };
    await rebuildUsageRollups(db.system, day);
    await rebuildUsageRollups(db.system, day);
    expect(await hourly()).toEqual(incrementalHourly);
    expect(await daily()).toEqual(incrementalDaily);
    // And the next incremental run adds nothing the rebuild already counted.
    expect((await rollupUsage(db.system)).events).toBe(0);
    expect(await hourly()).toEqual(incrementalHourly);
  });
});

describe("partition maintenance", () => {
  it("creates months ahead, drops months past retention, keeps unread ones", async () => {
    const now = new Date(Date.UTC(2027, 5, 15)); // June 2027: keeps March on (3 months)
    await db.system
      .$executeRaw`SELECT usage_events_create_partitions('2027-02-01'::timestamp, '2027-03-01'::timestamp)`;
    const first = await maintainUsagePartitions(db.system, {
      retentionMonths: 3,
      monthsAhead: 2,
      now,
    });
    expect(first.created).toEqual(
      expect.arrayContaining([
        "usage_events_2027_06",
        "usage_events_2027_07",
        "usage_events_2027_08",
      ]),
    );
    // December 2026 and February 2027 ended by March 2027: gone (the rollups read them).
    expect(first.dropped).toEqual(
      expect.arrayContaining(["usage_events_2026_12", "usage_events_2027_02"]),
    );
    expect(await listUsagePartitions(db.system)).not.toContain("usage_events_2026_12");
    expect(await listUsagePartitions(db.system)).toContain("usage_events_2027_03");

    // An event in a month past retention that the rollups have not read yet keeps its month.
    await db.system
      .$executeRaw`SELECT usage_events_create_partitions('2027-01-01'::timestamp, '2027-01-01'::timestamp)`;
    await write([{ at: Date.UTC(2027, 0, 20), latencyMs: 2, status: 200 }]);
    const kept = await maintainUsagePartitions(db.system, { retentionMonths: 3, now });
    expect(kept.dropped).not.toContain("usage_events_2027_01");
    await rollupUsage(db.system);
    const after = await maintainUsagePartitions(db.system, { retentionMonths: 3, now });
    expect(after.dropped).toEqual(["usage_events_2027_01"]);
    expect((await maintainUsagePartitions(db.system, { retentionMonths: 3, now })).created).toEqual(
      [],
    );
    await expect(maintainUsagePartitions(db.system, { retentionMonths: 0, now })).rejects.toThrow();
  });
});
