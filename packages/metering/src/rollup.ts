// Hourly and daily rollups of usage_events, built incrementally: what every usage chart and
// report reads (never raw events).
//
// Watermark: usage_events.ingest_xid is the id of the transaction that wrote the row. A run
// takes `horizon` = the oldest transaction still running (pg_snapshot_xmin): every event with
// ingest_xid below it is committed (or never will be), none can still appear there. The run
// folds the events in [watermark, horizon) into the rollups (adding to existing rows) and
// moves the watermark to horizon — all in one transaction under an advisory lock, so a crash
// changes nothing and two workers never fold the same events. Re-running is a no-op.
//
// rebuildUsageRollups recomputes whole buckets from the raw events already folded in (below
// the watermark): the repair path when a bucket is in doubt. Running it twice gives the same
// rows; it never double-counts what the incremental run will add later.
//
// The worker runs it as the core job `usage.rollup`, every minute (apps/worker/src/handlers/usage.ts).
import { Prisma, type PrismaClient } from "@plinth/db";
import { LATENCY_BUCKETS_MS } from "./histogram.ts";

const STATE_NAME = "usage_events";
const LOCK = "usage_rollups";

export interface RollupReport {
  events: number;
  hourlyRows: number;
  dailyRows: number;
  watermark: bigint;
}

const GROUP = `organization_id, api_key_id, meter, route, method, status_class`;

// Built from constants only (the bucket bounds), never from input.
const HISTOGRAM_SQL = `ARRAY[${Array.from(
  { length: LATENCY_BUCKETS_MS.length + 1 },
  (_, i) => `count(*) FILTER (WHERE latency_bucket = ${i})`,
).join(", ")}]::bigint[]`;
const THRESHOLDS_SQL = `ARRAY[${LATENCY_BUCKETS_MS.join(", ")}]::real[]`;

/** The events of `where` ($1, $2 …), aggregated per hour. */
function hourlyAggregate(where: string): string {
  return `
    SELECT date_trunc('hour', occurred_at) AS bucket_start, ${GROUP},
           count(*) AS calls, COALESCE(sum(quantity), 0) AS quantity,
           COALESCE(sum(cost_micro_cents), 0) AS cost_micro_cents,
           count(*) FILTER (WHERE status >= 500) AS errors,
           count(latency_ms) AS latency_count, COALESCE(sum(latency_ms), 0) AS latency_sum_ms,
           ${HISTOGRAM_SQL} AS latency_histogram
    FROM (
      SELECT occurred_at, organization_id, COALESCE(api_key_id, '') AS api_key_id, meter,
             COALESCE(route, '') AS route, COALESCE(method, '') AS method,
             COALESCE(status / 100, 0)::smallint AS status_class, quantity, cost_micro_cents,
             status, latency_ms, width_bucket(latency_ms, ${THRESHOLDS_SQL}) AS latency_bucket
      FROM usage_events WHERE ${where}
    ) e
    GROUP BY 1, ${GROUP}`;
}

const COLUMNS = `bucket_start, ${GROUP}, calls, quantity, cost_micro_cents, errors, latency_count, latency_sum_ms, latency_histogram`;
const ADD_ON_CONFLICT = (table: string) => `
  ON CONFLICT (organization_id, bucket_start, meter, api_key_id, route, method, status_class)
  DO UPDATE SET calls = ${table}.calls + EXCLUDED.calls,
                quantity = ${table}.quantity + EXCLUDED.quantity,
                cost_micro_cents = ${table}.cost_micro_cents + EXCLUDED.cost_micro_cents,
                errors = ${table}.errors + EXCLUDED.errors,
                latency_count = ${table}.latency_count + EXCLUDED.latency_count,
                latency_sum_ms = ${table}.latency_sum_ms + EXCLUDED.latency_sum_ms,
                latency_histogram = usage_histogram_add(${table}.latency_histogram, EXCLUDED.latency_histogram)`;

/** Hourly rows (`delta`) summed per UTC day. */
const DAILY_FROM_HOURLY = `
  SELECT date_trunc('day', bucket_start) AS bucket_start, ${GROUP},
         sum(calls) AS calls, sum(quantity) AS quantity, sum(cost_micro_cents) AS cost_micro_cents,
         sum(errors) AS errors, sum(latency_count) AS latency_count,
         sum(latency_sum_ms) AS latency_sum_ms, usage_histogram_sum(latency_histogram) AS latency_histogram
  FROM delta GROUP BY 1, ${GROUP}`;

/** Folds the events committed since the last run into the rollups. */
export async function rollupUsage(db: PrismaClient): Promise<RollupReport> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`;
      const [state] = await tx.$queryRaw<{ watermark: bigint; horizon: bigint }[]>`
        SELECT COALESCE((SELECT xid_watermark FROM usage_rollup_state WHERE name = ${STATE_NAME}), 0)::bigint AS watermark,
               (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS horizon`;
      const watermark = state!.watermark;
      const horizon = state!.horizon > watermark ? state!.horizon : watermark;
      const [counts] = await tx.$queryRawUnsafe<
        { events: bigint; hourly: bigint; daily: bigint }[]
      >(
        `WITH delta AS (${hourlyAggregate("ingest_xid >= $1 AND ingest_xid < $2")}),
         hourly AS (
           INSERT INTO usage_rollups_hourly (${COLUMNS}) SELECT ${COLUMNS} FROM delta
           ${ADD_ON_CONFLICT("usage_rollups_hourly")} RETURNING 1
         ),
         daily AS (
           INSERT INTO usage_rollups_daily (${COLUMNS}) SELECT ${COLUMNS} FROM (${DAILY_FROM_HOURLY}) d
           ${ADD_ON_CONFLICT("usage_rollups_daily")} RETURNING 1
         )
         SELECT COALESCE((SELECT sum(calls) FROM delta), 0)::bigint AS events,
                (SELECT count(*) FROM hourly)::bigint AS hourly,
                (SELECT count(*) FROM daily)::bigint AS daily`,
        watermark,
        horizon,
      );
      await tx.$executeRaw`
        INSERT INTO usage_rollup_state (name, xid_watermark, updated_at)
        VALUES (${STATE_NAME}, ${horizon}, now())
        ON CONFLICT (name) DO UPDATE SET xid_watermark = EXCLUDED.xid_watermark, updated_at = now()`;
      return {
        events: Number(counts?.events ?? 0),
        hourlyRows: Number(counts?.hourly ?? 0),
        dailyRows: Number(counts?.daily ?? 0),
        watermark: horizon,
      };
    },
    { timeout: 120_000, isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
  );
}

/**
 * Recomputes the hourly buckets in [from, to) and the daily buckets of those days from the
 * events already folded in. `from`/`to` are rounded out to whole UTC days.
 */
export async function rebuildUsageRollups(
  db: PrismaClient,
  range: { from: Date; to: Date },
): Promise<{ hourlyRows: number; dailyRows: number }> {
  const dayMs = 86_400_000;
  const from = new Date(Math.floor(range.from.getTime() / dayMs) * dayMs);
  const to = new Date(Math.ceil(range.to.getTime() / dayMs) * dayMs);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`;
      const [state] = await tx.$queryRaw<{ watermark: bigint }[]>`
        SELECT COALESCE((SELECT xid_watermark FROM usage_rollup_state WHERE name = ${STATE_NAME}), 0)::bigint AS watermark`;
      await tx.$executeRaw`DELETE FROM usage_rollups_hourly WHERE bucket_start >= ${from.toISOString()}::timestamp AND bucket_start < ${to.toISOString()}::timestamp`;
      await tx.$executeRaw`DELETE FROM usage_rollups_daily WHERE bucket_start >= ${from.toISOString()}::timestamp AND bucket_start < ${to.toISOString()}::timestamp`;
      const [counts] = await tx.$queryRawUnsafe<{ hourly: bigint; daily: bigint }[]>(
        `WITH delta AS (${hourlyAggregate("occurred_at >= $1::timestamp AND occurred_at < $2::timestamp AND ingest_xid < $3")}),
         hourly AS (INSERT INTO usage_rollups_hourly (${COLUMNS}) SELECT ${COLUMNS} FROM delta RETURNING 1),
         daily AS (
           INSERT INTO usage_rollups_daily (${COLUMNS}) SELECT ${COLUMNS} FROM (${DAILY_FROM_HOURLY}) d RETURNING 1
         )
         SELECT (SELECT count(*) FROM hourly)::bigint AS hourly, (SELECT count(*) FROM daily)::bigint AS daily`,
        from.toISOString(),
        to.toISOString(),
        state!.watermark,
      );
      return { hourlyRows: Number(counts?.hourly ?? 0), dailyRows: Number(counts?.daily ?? 0) };
    },
    { timeout: 120_000 },
  );
}
