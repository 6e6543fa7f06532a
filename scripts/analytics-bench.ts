// The API marketplace's analytics on 10 million usage events' worth of rollups: a fresh
// embedded PostgreSQL (migrated), BENCH_ORGS buyer organizations × BENCH_ROUTES endpoints ×
// 2 status classes (2xx, 5xx/4xx alternating) × every hour of BENCH_DAYS days in
// usage_rollups_hourly, and the matching usage_rollups_daily — written by INSERT … SELECT
// over generate_series (no row-by-row), with calls per row so that the total is
// BENCH_EVENTS (default 10 000 000). Then each chart's procedure is called through the real
// tRPC router (buyer: summary, by endpoint, series per hour and per day; operator: the
// marketplace analytics) BENCH_RUNS times (after a warm-up): p50/p95 per chart, target
// p95 < 100 ms. The detailed log reads usage_events (not seeded here: it is keyset-paginated
// on the (organization_id, occurred_at) index, independent of the total).
//   pnpm tsx scripts/analytics-bench.ts
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createDatabase, systemClient } from "@plinth/db";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import type { TestDatabase } from "@plinth/db/testing";
import { LATENCY_BUCKETS_MS } from "@plinth/metering";
import { productRuntime } from "@plinth/product";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit, createUser, setPlan } from "@plinth/trpc/testing";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);
const { routers } = await import("@plinth/api-catalog/trpc");

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 40);
const ROUTES = Number(process.env.BENCH_ROUTES ?? 12);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const product = productRuntime("api-marketplace");
const kit = createTestKit(product, createAppRouter(product, { "api-catalog": routers }));
const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-bench-analytics-"));
const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
const url = pg.urlFor("bench_analytics");
await ensureDatabase(pg.serverUrl, "bench_analytics");
await migrate(url);
const database = createDatabase(url, { poolMax: 10 });
// The shape the tRPC test kit's callers take (a fresh database, dropped with the server).
const db: TestDatabase = Object.assign(database, {
  system: systemClient(database, "bench: fixtures and seeding"),
  url,
  name: "bench_analytics",
  drop: async () => {},
});
try {
  const admin = await createUser(db, "ops@bench.test", { platformRole: "SUPER_ADMIN" });
  const orgs: { id: string; owner: Awaited<ReturnType<typeof createUser>> }[] = [];
  for (let i = 0; i < ORGS; i++) {
    const owner = await createUser(db, `owner-${i}@bench.test`);
    const org = await kit.createOrganization(db, owner, `Bench ${i}`);
    await setPlan(db, org.id, "payg");
    orgs.push({ id: org.id, owner });
  }
  const hours = DAYS * 24;
  const rows = ORGS * ROUTES * 2 * hours;
  const callsPerRow = Math.max(1, Math.ceil(EVENTS / rows));
  const started = performance.now();
  const histogram = `array_fill(0::bigint, ARRAY[${LATENCY_BUCKETS_MS.length + 1}])`;
  await db.system.$executeRawUnsafe(
    `
    INSERT INTO usage_rollups_hourly (bucket_start, organization_id, api_key_id, meter, route,
      method, status_class, calls, quantity, cost_micro_cents, errors, latency_count,
      latency_sum_ms, latency_histogram)
    SELECT date_trunc('hour', now()) - make_interval(hours => h), o.id, '', 'api.units',
           '/api/v1/bench/r' || r || '/{id}', 'GET', s, ${callsPerRow}, ${callsPerRow} * 3,
           ${callsPerRow} * 250000, CASE WHEN s = 5 THEN ${callsPerRow} ELSE 0 END,
           ${callsPerRow}, ${callsPerRow} * 12.5, ${histogram}
    FROM unnest($1::text[]) AS o(id), generate_series(0, ${hours - 1}) AS h,
         generate_series(1, ${ROUTES}) AS r, unnest(ARRAY[2, 5]) AS s`,
    orgs.map((o) => o.id),
  );
  await db.system.$executeRawUnsafe(`
    INSERT INTO usage_rollups_daily (bucket_start, organization_id, api_key_id, meter, route,
      method, status_class, calls, quantity, cost_micro_cents, errors, latency_count,
      latency_sum_ms, latency_histogram)
    SELECT date_trunc('day', bucket_start), organization_id, api_key_id, meter, route, method,
           status_class, sum(calls), sum(quantity), sum(cost_micro_cents), sum(errors),
           sum(latency_count), sum(latency_sum_ms), ${histogram}
    FROM usage_rollups_hourly GROUP BY 1, 2, 3, 4, 5, 6, 7`);
  await db.system.$executeRawUnsafe("ANALYZE usage_rollups_hourly");
  await db.system.$executeRawUnsafe("ANALYZE usage_rollups_daily");
  const [seeded] = await db.system.$queryRaw<{ events: bigint; hourly: bigint }[]>`
    SELECT sum(calls)::bigint AS events, count(*)::bigint AS hourly FROM usage_rollups_hourly`;
  console.log(
    `seeded ${seeded?.events ?? 0n} events' worth: ${seeded?.hourly ?? 0n} hourly rollup rows, ` +
      `${ORGS} orgs × ${ROUTES} routes × 2 status classes × ${hours} h, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const target = orgs[0];
  if (!target) throw new Error("no organization");
  // The summary reads the billing period so far: without a period on the subscription that
  // is the calendar month, so its cost would depend on the day the bench runs. Its worst
  // case instead: a period that started BENCH_DAYS ago (every seeded hour in it).
  await db.system.subscription.update({
    where: { organizationId: target.id },
    data: { currentPeriodStart: new Date(Date.now() - DAYS * 86_400_000) },
  });
  const buyer = kit.callerFor(db, target.owner);
  const operator = kit.callerFor(db, admin);
  const organizationId = target.id;
  const charts: [string, () => Promise<unknown>][] = [
    [
      `buyer summary (period of ${DAYS} days per meter and key)`,
      () => buyer.apis.usageSummary({ organizationId }),
    ],
    ["buyer by endpoint (30 days)", () => buyer.apis.usageByEndpoint({ organizationId, days: 30 })],
    [
      "buyer series per hour (14 days)",
      () => buyer.apis.usageSeries({ organizationId, days: 14, bucket: "hour" }),
    ],
    [
      "buyer series per day (30 days)",
      () => buyer.apis.usageSeries({ organizationId, days: 30, bucket: "day" }),
    ],
    [
      "operator marketplace analytics (12 months)",
      () => operator.apiCatalog.analytics({ months: 12 }),
    ],
  ];
  console.log(`\n${RUNS} runs each (after 3 warm-up calls), ms:`);
  console.log("chart | p50 | p95 | max");
  for (const [name, run] of charts) {
    for (let i = 0; i < 3; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    console.log(
      `${name} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${(times.at(-1) ?? NaN).toFixed(1)}${p95 < 100 ? "" : "  ← misses p95 < 100 ms"}`,
    );
  }
} finally {
  await database.disconnect();
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}
