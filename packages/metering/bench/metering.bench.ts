// Usage metering throughput on an embedded PostgreSQL (or DATABASE_URL), same run, same pool:
//   baseline  one statement per event (INSERT the event + upsert its counter), 16 in flight —
//             what a gateway writing synchronously per request would do;
//   writer    the batched writer (createMeteringWriter) fed as fast as it drains, per batch
//             size: events persisted per second (inserted and counted, measured until drained);
//   fixed     the writer at a fixed offered rate below saturation: flush lag p50/p99 (from
//             the oldest event's record() to its batch's commit, per flush).
//   pnpm --filter @plinth/metering bench   [BENCH_SECONDS=5 BENCH_RATE=20000]
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrismaClient, type PrismaClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { uuidv7 } from "../src/uuid7.ts";
import { createMeteringWriter, type UsageEventInput } from "../src/index.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RATE = Number(process.env.BENCH_RATE ?? 20_000);
const BASELINE_EVENTS = Number(process.env.BENCH_BASELINE_EVENTS ?? 5_000);
const PERIOD = new Date(Date.UTC(2026, 11, 1));

const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-metering-"));
const server = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir, persistent: false });
const url = process.env.DATABASE_URL ?? server!.urlFor("bench_metering");
if (server) await ensureDatabase(server.serverUrl, "bench_metering");
await migrate(url);
const db = createPrismaClient(url, { role: "system", poolMax: 8 });
// The writer's flush path in the gateway: the system role's pg pool (systemPool of @plinth/db).
const pool = new pg.Pool({ connectionString: url, max: 8 });
pool.on("error", (error) => console.error("pool:", error.message));

const orgs = await Promise.all(
  Array.from({ length: 20 }, (_, i) =>
    db.organization.create({
      data: { name: `Bench ${i}`, slug: `bench-${i}-${randomBytes(3).toString("hex")}` },
      select: { id: true },
    }),
  ),
);
let sequence = 0;
function nextEvent(): UsageEventInput {
  const i = sequence++;
  return {
    organizationId: orgs[i % orgs.length]!.id,
    apiKeyId: `key_${i % 50}`,
    meter: "api.requests",
    quantity: 1,
    periodStart: PERIOD,
    route: "/api/v1/projects",
    method: "GET",
    status: 200,
    latencyMs: 1.2,
    costMicroCents: 100,
    ip: "203.0.113.9",
  };
}

async function persistedCount(): Promise<number> {
  const [row] = await db.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM usage_events`;
  return Number(row?.count ?? 0);
}

async function baseline(client: PrismaClient): Promise<number> {
  const started = performance.now();
  let next = 0;
  async function lane() {
    while (next < BASELINE_EVENTS) {
      next++;
      const event = nextEvent();
      await client.$executeRaw`
        WITH e AS (
          INSERT INTO usage_events (id, occurred_at, organization_id, api_key_id, meter, quantity,
                                    route, method, status, latency_ms, cost_micro_cents, ip)
          VALUES (${uuidv7()}::uuid, now(), ${event.organizationId}, ${event.apiKeyId}, ${event.meter},
                  ${event.quantity}, ${event.route}, ${event.method}, ${event.status}::smallint,
                  ${event.latencyMs}::real, 100, ${event.ip}::inet)
          ON CONFLICT DO NOTHING RETURNING quantity
        )
        INSERT INTO usage_counters (organization_id, meter, period_start, quantity, updated_at)
        SELECT ${event.organizationId}, ${event.meter}, ${PERIOD.toISOString()}::timestamp, quantity, now() FROM e
        ON CONFLICT (organization_id, meter, period_start) DO UPDATE
          SET quantity = usage_counters.quantity + EXCLUDED.quantity, updated_at = now()`;
    }
  }
  await Promise.all(Array.from({ length: 16 }, lane));
  return BASELINE_EVENTS / ((performance.now() - started) / 1000);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Feeds the writer as fast as it drains (keeping ~2 batches queued) for SECONDS. */
async function saturated(maxBatch: number, via: "pool" | "prisma", concurrency: number) {
  const flushes: number[] = [];
  const durations: number[] = [];
  const writer = createMeteringWriter({
    db,
    ...(via === "pool" ? { pool } : {}),
    concurrency,
    maxBatch,
    maxQueue: maxBatch * 4,
    onFlush: (report) => {
      flushes.push(report.events);
      durations.push(report.durationMs);
    },
    onError: (error) => console.error("flush failed", error),
  });
  const before = await persistedCount();
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    while (writer.metrics().depth < maxBatch * 2) writer.record(nextEvent());
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writer.close({ timeoutMs: 60_000 });
  const elapsed = (performance.now() - started) / 1000;
  const persisted = (await persistedCount()) - before;
  const metrics = writer.metrics();
  if (metrics.inserted !== persisted)
    throw new Error(`inserted ${metrics.inserted} ≠ rows ${persisted}`);
  return {
    persisted,
    perSecond: persisted / elapsed,
    meanFlush: persisted / flushes.length,
    flushMs: durations.reduce((sum, ms) => sum + ms, 0) / durations.length,
  };
}

/** A fixed offered rate (every 10 ms, RATE/100 events) for SECONDS: the flush lag. */
async function fixedRate() {
  const lags: number[] = [];
  const writer = createMeteringWriter({
    db,
    pool,
    maxBatch: 2_000,
    onFlush: (report) => lags.push(report.maxLagMs),
  });
  const perTick = Math.round(RATE / 100);
  const started = performance.now();
  let offered = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE) - offered;
      for (let i = 0; i < Math.max(due, perTick) && offered < RATE * SECONDS; i++, offered++) {
        writer.record(nextEvent());
      }
      if (offered >= RATE * SECONDS) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await writer.close({ timeoutMs: 60_000 });
  const m = writer.metrics();
  return { offered, inserted: m.inserted, dropped: m.dropped, lags };
}

try {
  const baselineRate = await baseline(db);
  console.log(
    `\nUsage metering, ${os.cpus().length} cores, PostgreSQL ${server ? "embedded" : "DATABASE_URL"}`,
  );
  console.log(
    `baseline: one statement per event (event + counter), 16 in flight: ${Math.round(baselineRate)} events/s`,
  );
  console.log(
    "batched writer, saturated:".padEnd(30),
    "batch".padStart(6),
    "events/s".padStart(10),
    "× baseline".padStart(11),
    "mean flush".padStart(11),
  );
  // Interleaved so that background load hits each configuration alike.
  const runs: [number, "pool" | "prisma", number][] = [
    [2_000, "prisma", 1],
    [2_000, "pool", 1],
    [2_000, "pool", 2],
    [1_000, "pool", 2],
    [5_000, "pool", 2],
    [2_000, "prisma", 1],
    [2_000, "pool", 1],
    [2_000, "pool", 2],
  ];
  for (const [size, via, concurrency] of runs) {
    const run = await saturated(size, via, concurrency);
    console.log(
      `  ${via === "prisma" ? "Prisma" : "pg pool"}, ${concurrency} in flight`.padEnd(30),
      String(size).padStart(6),
      String(Math.round(run.perSecond)).padStart(10),
      (run.perSecond / baselineRate).toFixed(1).padStart(11),
      String(Math.round(run.meanFlush)).padStart(11),
      run.flushMs.toFixed(1).padStart(9),
    );
  }
  const fixed = await fixedRate();
  console.log(
    `fixed ${RATE} events/s offered for ${SECONDS} s (flush ≤ 250 ms or 2,000 events): ${fixed.inserted}/${fixed.offered} persisted, ${fixed.dropped} dropped, flush lag p50 ${percentile(fixed.lags, 50).toFixed(1)} ms / p99 ${percentile(fixed.lags, 99).toFixed(1)} ms / max ${Math.max(...fixed.lags).toFixed(1)} ms over ${fixed.lags.length} flushes`,
  );
} finally {
  await db.$disconnect();
  await pool.end();
  if (server) {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
