// Usage metering's jobs through a real worker on a real PostgreSQL: both are core jobs on the
// cron schedule (rollup every minute, partitions daily); `usage.rollup` folds the events the
// writer stored into hourly and daily rollups whose sums equal the events; `usage.partitions`
// creates the coming month's partition and drops one past USAGE_EVENTS_RETENTION_MONTHS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { enqueueSystem, installJobSchema, jobs } from "@plinth/jobs";
import { createMeteringWriter, listUsagePartitions } from "@plinth/metering";
import { activeProduct } from "@plinth/product";
import { parseWorkerEnv } from "../src/env.ts";
import { registeredJobs } from "../src/handlers/index.ts";
import { cronSchedule } from "../src/worker.ts";
import { queueRows, startTestWorker, waitFor, type TestWorker } from "./helpers.ts";

let db: TestDatabase;
let worker: TestWorker;

beforeAll(async () => {
  db = await createTestDatabase();
  await installJobSchema(db.url);
  worker = await startTestWorker(db, { usage: { retentionMonths: 1 } });
});
afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

async function runAndWait(job: typeof jobs.usageRollup | typeof jobs.usagePartitions) {
  await enqueueSystem(db.system, job, {});
  await waitFor(async () => (await queueRows(db.system)).length === 0, { what: job.name });
}

const monthName = (year: number, month: number) => {
  const d = new Date(Date.UTC(year, month, 1));
  return `usage_events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
};

describe("usage jobs", () => {
  it("are core jobs on the cron schedule: rollup every minute, partitions daily", () => {
    const names = registeredJobs().map((job) => job.definition.name);
    expect(names).toEqual(expect.arrayContaining(["usage.rollup", "usage.partitions"]));
    const schedule = cronSchedule(activeProduct().cron);
    expect(schedule.find((item) => item.task === "usage.rollup")).toMatchObject({
      match: "* * * * *",
      options: { queueName: "usage.maintenance" },
    });
    expect(schedule.find((item) => item.task === "usage.partitions")?.match).toBe("20 2 * * *");
  });

  it("reads the retention from USAGE_EVENTS_RETENTION_MONTHS (default 13)", () => {
    const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db" };
    expect(parseWorkerEnv(base).USAGE_EVENTS_RETENTION_MONTHS).toBe(13);
    expect(
      parseWorkerEnv({ ...base, USAGE_EVENTS_RETENTION_MONTHS: "6" }).USAGE_EVENTS_RETENTION_MONTHS,
    ).toBe(6);
    expect(() => parseWorkerEnv({ ...base, USAGE_EVENTS_RETENTION_MONTHS: "0" })).toThrow(
      /USAGE_EVENTS_RETENTION_MONTHS/,
    );
  });

  it("usage.rollup builds hourly and daily rollups equal to the recorded events", async () => {
    const org = await db.system.organization.create({ data: { name: "U", slug: "usage-jobs" } });
    const now = new Date();
    const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
    const writer = createMeteringWriter({ db: db.system, flushIntervalMs: 60_000 });
    const statuses = [200, 200, 201, 404, 500, 200, 429];
    statuses.forEach((status, i) =>
      writer.record({
        organizationId: org.id,
        apiKeyId: "key_a",
        meter: "api.requests",
        quantity: 1,
        periodStart,
        route: "/api/v1/projects",
        method: "GET",
        status,
        latencyMs: 3 + i,
        costMicroCents: 100,
        occurredAt: new Date(hour + i * 1_000),
      }),
    );
    await writer.close();

    await runAndWait(jobs.usageRollup);
    const hourly = await db.system.usageRollupHourly.findMany({
      where: { organizationId: org.id },
    });
    const daily = await db.system.usageRollupDaily.findMany({ where: { organizationId: org.id } });
    const sum = (rows: { calls: bigint }[]) => rows.reduce((n, row) => n + Number(row.calls), 0);
    expect(sum(hourly)).toBe(statuses.length);
    expect(sum(daily)).toBe(statuses.length);
    expect(hourly.every((row) => row.bucketStart.getTime() === hour)).toBe(true);
    expect(hourly.reduce((n, row) => n + Number(row.errors), 0)).toBe(1);
    expect(hourly.reduce((n, row) => n + Number(row.costMicroCents), 0)).toBe(700);

    // A second run folds nothing twice.
    await runAndWait(jobs.usageRollup);
    const again = await db.system.usageRollupHourly.findMany({
      where: { organizationId: org.id },
    });
    expect(sum(again)).toBe(statuses.length);
  });

  it("usage.partitions creates next month's partition and drops the expired ones", async () => {
    const now = new Date();
    const [y, m] = [now.getUTCFullYear(), now.getUTCMonth()];
    const next = monthName(y, m + 1);
    const expired = monthName(y, m - 3);
    // Next month's partition gone (the migration made it), an expired one present.
    await db.system.$executeRawUnsafe(`DROP TABLE IF EXISTS "${next}"`);
    await db.system.$queryRaw`SELECT usage_events_create_partitions(
      ${new Date(Date.UTC(y, m - 3, 1)).toISOString()}::timestamp,
      ${new Date(Date.UTC(y, m - 3, 2)).toISOString()}::timestamp)`;
    const before = await listUsagePartitions(db.system);
    expect(before).toContain(expired);
    expect(before).not.toContain(next);

    await runAndWait(jobs.usagePartitions);
    const after = await listUsagePartitions(db.system);
    expect(after).toContain(next);
    expect(after).toContain(monthName(y, m + 2));
    expect(after).toContain(monthName(y, m)); // the current month is kept
    expect(after).not.toContain(expired); // retention 1: older than last month
    const line = worker.logs.find((entry) => entry.msg === "usage partitions maintained");
    expect(line).toMatchObject({ retentionMonths: 1 });
    expect(line?.dropped).toEqual([expired]);
  });
});
