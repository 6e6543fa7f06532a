// Usage per day, for charts. The one place that knows where daily numbers come from: today the
// append-only usage_events table, grouped by UTC day; when rollup tables arrive, only this
// function changes (callers and their output stay as they are).
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
  // occurred_at is a UTC timestamp without time zone: compare it with UTC wall-clock values.
  const rows = await db.$queryRaw<{ day: string; quantity: bigint }[]>`
    WITH used AS (
      SELECT occurred_at::date AS day, SUM(quantity)::bigint AS quantity
      FROM usage_events
      WHERE organization_id = ${input.organizationId}
        AND meter = ${input.meter}
        AND occurred_at >= (${start}::timestamptz AT TIME ZONE 'UTC')
        AND occurred_at < (${end}::timestamptz AT TIME ZONE 'UTC')
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
