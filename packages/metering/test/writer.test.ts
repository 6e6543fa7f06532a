// The batched usage writer on a real PostgreSQL: events and counters land together, flushes
// by time and by size, a flush retried after a lost answer (the server committed, the client
// never heard) counts nothing twice, a failing database keeps the events (bounded), close()
// drains, and no single event can block the queue.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createPrismaClient, systemPool } from "@plinth/db";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { startPgFaultProxy } from "@plinth/db/testing-proxy";
import { createMeteringWriter, type MeteringWriter, type UsageEventInput } from "../src/index.ts";

let db: TestDatabase;
const PERIOD = new Date(Date.UTC(2026, 11, 1));
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await db.drop();
});

async function createOrg() {
  const org = await db.system.organization.create({
    data: { name: "Meter", slug: `meter-${randomBytes(4).toString("hex")}` },
  });
  return org.id;
}

function writer(options: Partial<Parameters<typeof createMeteringWriter>[0]> = {}): MeteringWriter {
  // The gateway's path: the flush statement through the system role's pg pool.
  const created = createMeteringWriter({
    db: db.system,
    pool: systemPool(db, "tests: the writer's flush path"),
    flushIntervalMs: 60_000,
    ...options,
  });
  closers.push(() => created.close({ timeoutMs: 1_000 }));
  return created;
}

const event = (organizationId: string, extra: Partial<UsageEventInput> = {}): UsageEventInput => ({
  organizationId,
  meter: "api.requests",
  quantity: 1,
  periodStart: PERIOD,
  route: "/api/v1/projects",
  method: "GET",
  status: 200,
  latencyMs: 3.5,
  ip: "203.0.113.7",
  ...extra,
});

async function stored(organizationId: string) {
  const [events] = await db.system.$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM usage_events WHERE organization_id = ${organizationId}`;
  const counters = await db.system.usageCounter.findMany({
    where: { organizationId },
    select: { meter: true, quantity: true },
    orderBy: { meter: "asc" },
  });
  return {
    events: Number(events?.count ?? 0),
    counters: Object.fromEntries(counters.map((row) => [row.meter, Number(row.quantity)])),
  };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("metering writer", () => {
  it("writes events and advances the period counters by the same amounts", async () => {
    const org = await createOrg();
    const w = writer();
    for (let i = 0; i < 30; i++) w.record(event(org));
    for (let i = 0; i < 5; i++) w.record(event(org, { meter: "ai.tasks", quantity: 3 }));
    await w.flush();
    expect(await stored(org)).toEqual({
      events: 35,
      counters: { "ai.tasks": 15, "api.requests": 30 },
    });
    const rows = await db.system.$queryRaw<{ id: string; ip: string; route: string }[]>`
      SELECT id::text, host(ip) AS ip, route FROM usage_events
      WHERE organization_id = ${org} ORDER BY id`;
    // UUIDv7: version 7, and time-ordered (sorted by id = sorted by creation).
    expect(rows.every((row) => row.id[14] === "7")).toBe(true);
    expect(rows[0]).toMatchObject({ ip: "203.0.113.7", route: "/api/v1/projects" });
    expect(w.metrics()).toMatchObject({ depth: 0, inFlight: 0, recorded: 35, inserted: 35 });
  });

  it("flushes on its own: after the interval (≤ 250 ms), and at once when a batch is full", async () => {
    const org = await createOrg();
    const timed = writer({ flushIntervalMs: 250 });
    timed.record(event(org));
    await waitFor(async () => (await stored(org)).events === 1, "the timed flush", 2_000);

    const sized = writer({ flushIntervalMs: 60_000, maxBatch: 10 });
    for (let i = 0; i < 25; i++) sized.record(event(org));
    await waitFor(async () => (await stored(org)).events === 21, "two full batches", 2_000);
    expect(sized.metrics().depth).toBe(5);
  });

  it("a flush retried after its answer was lost (the server had committed) counts nothing twice", async () => {
    const org = await createOrg();
    const proxy = await startPgFaultProxy(db.url);
    closers.push(() => proxy.close());
    const client = createPrismaClient(proxy.url, { role: "system", poolMax: 2 });
    closers.push(() => client.$disconnect());
    const pool = new pg.Pool({ connectionString: proxy.url, max: 2 });
    closers.push(() => pool.end());
    const errors: unknown[] = [];
    const w = createMeteringWriter({
      db: client,
      pool,
      flushIntervalMs: 60_000,
      minBackoffMs: 10,
      onError: (error) => errors.push(error),
    });
    closers.push(() => w.close({ timeoutMs: 1_000 }));

    for (let i = 0; i < 50; i++) w.record(event(org));
    const cut = proxy.cutAfterReply(/INSERT INTO usage_events/);
    await w.flush();
    await cut;
    // The first attempt committed but failed for the writer; the retry found every id stored.
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(w.metrics()).toMatchObject({ failedFlushes: 1, flushes: 1, inserted: 0, depth: 0 });
    expect(await stored(org)).toEqual({ events: 50, counters: { "api.requests": 50 } });

    // A caller resending events it already sent (same ids) changes nothing either.
    const ids = await db.system.$queryRaw<{ id: string; occurred_at: Date }[]>`
      SELECT id::text, occurred_at FROM usage_events WHERE organization_id = ${org} LIMIT 10`;
    const again = writer();
    for (const row of ids) again.record(event(org, { id: row.id, occurredAt: row.occurred_at }));
    again.record(event(org, { id: ids[0]!.id, occurredAt: ids[0]!.occurred_at })); // twice in one batch
    await again.flush();
    expect(await stored(org)).toEqual({ events: 50, counters: { "api.requests": 50 } });
  });

  it("keeps the events through failed flushes (backoff), bounded by maxQueue", async () => {
    const org = await createOrg();
    const errors: unknown[] = [];
    const w = writer({
      maxQueue: 20,
      minBackoffMs: 20,
      maxBackoffMs: 50,
      onError: (error) => errors.push(error),
    });
    for (let i = 0; i < 15; i++) expect(w.record(event(org))).toBe(true);
    await db.system.$executeRawUnsafe(`ALTER TABLE usage_counters RENAME TO usage_counters_away`);
    try {
      const flushing = w.flush();
      await waitFor(() => w.metrics().failureStreak >= 2, "two failed attempts");
      expect(w.metrics().depth + w.metrics().inFlight).toBe(15);
      for (let i = 0; i < 10; i++) w.record(event(org));
      expect(w.metrics()).toMatchObject({ dropped: 5, recorded: 20 });
      await db.system.$executeRawUnsafe(`ALTER TABLE usage_counters_away RENAME TO usage_counters`);
      await flushing;
    } finally {
      await db.system.$executeRawUnsafe(
        `ALTER TABLE IF EXISTS usage_counters_away RENAME TO usage_counters`,
      );
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(await stored(org)).toEqual({ events: 20, counters: { "api.requests": 20 } });
    expect(w.metrics().failureStreak).toBe(0);
  });

  it("close() drains the queue (SIGTERM) and then refuses new events", async () => {
    const org = await createOrg();
    // Without a pool: the flush statement through Prisma (same SQL).
    const w = createMeteringWriter({ db: db.system, flushIntervalMs: 60_000, maxBatch: 100 });
    for (let i = 0; i < 1_050; i++) w.record(event(org));
    expect(await w.close()).toEqual({ remaining: 0 });
    expect(await stored(org)).toEqual({ events: 1_050, counters: { "api.requests": 1_050 } });
    expect(w.record(event(org))).toBe(false);
  });

  it("skips events of a deleted organization instead of blocking the batch", async () => {
    const kept = await createOrg();
    const gone = await createOrg();
    await db.system.organization.delete({ where: { id: gone } });
    const w = writer();
    w.record(event(gone));
    w.record(event(kept));
    await w.flush();
    expect(await stored(kept)).toEqual({ events: 1, counters: { "api.requests": 1 } });
    expect(await stored(gone)).toEqual({ events: 0, counters: {} });
  });

  it("creates the month's partition when an event finds none", async () => {
    const org = await createOrg();
    const w = writer();
    w.record(event(org, { occurredAt: new Date(Date.UTC(2031, 4, 17, 10)) }));
    await w.flush();
    expect(await stored(org)).toMatchObject({ events: 1 });
    const [partition] = await db.system.$queryRaw<{ name: string | null }[]>`
      SELECT to_regclass('public.usage_events_2031_05')::text AS name`;
    expect(partition?.name).toBe("usage_events_2031_05");
  });

  it("refuses an invalid event at record() (it would poison its batch)", async () => {
    const org = await createOrg();
    const w = writer();
    expect(w.record(event(org, { ip: "not-an-ip" }))).toBe(false);
    expect(w.record(event(org, { quantity: -1 }))).toBe(false);
    expect(w.record(event(org, { status: 1_000 }))).toBe(false);
    expect(w.metrics()).toMatchObject({ dropped: 3, recorded: 0, depth: 0 });
  });

  it("recordTyped() refuses what record() refuses, without zod, and writes the same rows", async () => {
    const org = await createOrg();
    const w = writer();
    const typed = (extra: Partial<UsageEventInput> = {}) => ({ ...event(org), ...extra });
    for (const bad of [
      { ip: "not-an-ip" },
      { quantity: -1 },
      { quantity: 1.5 },
      { status: 1_000 },
      { latencyMs: -1 },
      { meter: "" },
      { route: "x".repeat(201) },
      { periodStart: new Date(Number.NaN) },
      { costMicroCents: 0.5 },
    ]) {
      expect(w.recordTyped(typed(bad)), JSON.stringify(bad)).toBe(false);
      expect(w.record(typed(bad)), JSON.stringify(bad)).toBe(false);
    }
    expect(w.metrics()).toMatchObject({ dropped: 18, recorded: 0 });
    expect(w.recordTyped(typed({ apiKeyId: null, route: null, ip: null }))).toBe(true);
    expect(w.record(event(org))).toBe(true);
    await w.flush();
    const rows = await db.system.usageEvent.findMany({
      where: { organizationId: org },
      select: { meter: true, quantity: true, status: true, route: true, ip: true },
    });
    expect(rows).toHaveLength(2);
    expect(await stored(org)).toEqual({ events: 2, counters: { "api.requests": 2 } });
  });
});
