// What the usage chart reads (dailyUsage, @plinth/billing) on a real PostgreSQL with the real
// writer and rollup job: the daily rollups plus only the tail of events the job has not folded
// in — equal to the events recorded before a rollup run, after it, and with both (no event
// counted twice or missed), also under the tenant's row-level security; and once raw events
// are gone (a dropped partition) the days still show, from the rollups alone.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dailyUsage } from "@plinth/billing/daily-usage";
import { tenantTransaction } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { createMeteringWriter, rollupUsage } from "../src/index.ts";

let db: TestDatabase;
let org: string;
let other: string;
const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const periodStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
const range = { meter: "api.requests", from: new Date(today - 2 * DAY), to: new Date(today) };
const recorded = new Map<string, number>(); // UTC day → quantity written for `org`

beforeAll(async () => {
  db = await createTestDatabase();
  const create = (name: string) =>
    db.system.organization.create({
      data: { name, slug: `${name}-${randomBytes(4).toString("hex")}` },
    });
  org = (await create("reads")).id;
  other = (await create("other")).id;
  await db.system.$queryRaw`SELECT usage_events_create_partitions(
    ${new Date(today - 3 * DAY).toISOString()}::timestamp, ${new Date(today).toISOString()}::timestamp)`;
});
afterAll(() => db.drop());

/** Records `n` events a day over the range (and noise for another org and meter). */
async function record(n: number) {
  const writer = createMeteringWriter({ db: db.system, flushIntervalMs: 60_000 });
  for (let d = 0; d < 3; d++) {
    const day = today - (2 - d) * DAY;
    const key = new Date(day).toISOString().slice(0, 10);
    for (let i = 0; i < n; i++) {
      const event = {
        apiKeyId: "key_1",
        quantity: 1 + (i % 3),
        periodStart,
        route: "/api/v1/projects",
        method: "GET",
        status: 200,
        latencyMs: 4,
        costMicroCents: 10,
        occurredAt: new Date(day + ((i * 997_000) % DAY)),
      };
      writer.record({ ...event, organizationId: org, meter: "api.requests" });
      writer.record({ ...event, organizationId: org, meter: "ai.tasks" });
      writer.record({ ...event, organizationId: other, meter: "api.requests" });
      recorded.set(key, (recorded.get(key) ?? 0) + event.quantity);
    }
  }
  await writer.close();
}

const expected = () =>
  [...recorded.entries()]
    .map(([day, quantity]) => ({ day, quantity }))
    .sort((a, b) => a.day.localeCompare(b.day));
const chart = () => dailyUsage(db.system, { organizationId: org, ...range });
const chartAsTenant = () =>
  tenantTransaction(db.app, { organizationId: org }, (tx) =>
    dailyUsage(tx, { organizationId: org, ...range }),
  );
const rollupTotal = async () =>
  Number(
    (
      await db.system.usageRollupDaily.aggregate({
        where: { organizationId: org, meter: "api.requests" },
        _sum: { quantity: true },
      })
    )._sum.quantity ?? 0,
  );

describe("usage reads: rollups + the unfolded tail", () => {
  it("equal the recorded events before, after and across rollup runs", async () => {
    await record(40);
    expect(await chart()).toEqual(expected()); // all tail: nothing rolled up yet
    expect(await rollupTotal()).toBe(0);

    const run = await rollupUsage(db.system);
    expect(run.events).toBeGreaterThan(0);
    const total = expected().reduce((sum, point) => sum + point.quantity, 0);
    expect(await rollupTotal()).toBe(total);
    expect(await chart()).toEqual(expected()); // all from rollups: the tail is empty

    await record(25); // a new tail on top of the rollups
    expect(await chart()).toEqual(expected());
    expect(await chartAsTenant()).toEqual(expected());
    await rollupUsage(db.system);
    expect(await chart()).toEqual(expected());
    expect(await chartAsTenant()).toEqual(expected());
  });

  it("reads the rollups, not the raw events: the days stay when the events are gone", async () => {
    await rollupUsage(db.system);
    const before = await chart();
    await db.system.$executeRaw`DELETE FROM usage_events WHERE organization_id = ${org}`;
    expect(await chart()).toEqual(before);
    expect(before.every((point) => point.quantity > 0)).toBe(true);
  });
});
