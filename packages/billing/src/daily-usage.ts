// Usage per day, for charts. The one place that knows where daily numbers come from: the daily
// rollups (usage_rollups_daily, built by the worker's usage.rollup job) plus only the tail of
// usage_events the job has not folded in yet (ingest_xid ≥ its watermark) — so a chart is
// exact and fresh without scanning raw events. One statement: the rollups, the watermark
// (usage_rollup_watermark(), STABLE) and the tail share one snapshot, so an event is counted
// once whether a rollup run commits before or after. docs/metering.md.
import type { PrismaClient, TransactionClient } from "@plinth/db";

export interface DailyUsagePoint {
  /** UTC day, "YYYY-MM-DD". */
  day: string;
  quantity: number;
}

/** The longest range one call answers (a year and a day: leap years, inclusive ends). */
export const DAILY_USAGE_MAX_DAYS = 367;

const DAY_MS = 86_400_000;
const utcDay = (date: Date) =>
  Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

/**
 * One meter's usage for each UTC day from `from` to `to` (both days included), days without
 * usage as 0. Runs on whatever client it is given: under a tenant transaction row-level
 * security applies as well as the explicit organization filter.
 */
export async function dailyUsage(
  db: PrismaClient | TransactionClient,
  input: { organizationId: string; meter: string; from: Date; to: Date },
): Promise<DailyUsagePoint[]> {
  const first = utcDay(input.from);
  const last = utcDay(input.to);
  if (last < first) return [];
  if ((last - first) / DAY_MS + 1 > DAILY_USAGE_MAX_DAYS) {
    throw new RangeError(`dailyUsage answers at most ${DAILY_USAGE_MAX_DAYS} days`);
  }
  const start = new Date(first).toISOString();
  const end = new Date(last + DAY_MS).toISOString();
  // occurred_at and bucket_start are UTC timestamps without time zone: compare them with UTC
  // wall-clock values.
  const rows = await db.$queryRaw<{ day: string; quantity: bigint }[]>`
    WITH range AS (
      SELECT (${start}::timestamptz AT TIME ZONE 'UTC') AS start_ts,
             (${end}::timestamptz AT TIME ZONE 'UTC') AS end_ts,
             usage_rollup_watermark() AS watermark
    ),
    used AS (
      SELECT day, SUM(quantity)::bigint AS quantity FROM (
        SELECT r.bucket_start::date AS day, r.quantity
        FROM usage_rollups_daily r, range
        WHERE r.organization_id = ${input.organizationId}
          AND r.meter = ${input.meter}
          AND r.bucket_start >= range.start_ts AND r.bucket_start < range.end_ts
        UNION ALL
        SELECT e.occurred_at::date AS day, e.quantity::bigint
        FROM usage_events e, range
        WHERE e.organization_id = ${input.organizationId}
          AND e.meter = ${input.meter}
          AND e.occurred_at >= range.start_ts AND e.occurred_at < range.end_ts
          AND e.ingest_xid >= range.watermark
      ) parts
      GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, COALESCE(used.quantity, 0)::bigint AS quantity
    FROM generate_series(
      (${start}::timestamptz AT TIME ZONE 'UTC')::date,
      (${end}::timestamptz AT TIME ZONE 'UTC')::date - 1,
      interval '1 day'
    ) AS days(day)
    LEFT JOIN used ON used.day = days.day::date
    ORDER BY days.day`;
  return rows.map((row) => ({ day: row.day, quantity: Number(row.quantity) }));
}
