// usage_events partitions (one per UTC month; the SQL functions are in the migration
// 20261201232816_api_keys_and_usage_metering): create the coming months ahead, drop the months
// past retention. A plain function; the worker runs it daily as the core job `usage.partitions`
// (retention from USAGE_EVENTS_RETENTION_MONTHS, apps/worker/src/env.ts). A partition still
// holding events the rollups have not read is kept.
import type { PrismaClient } from "@plinth/db";

export interface PartitionMaintenanceOptions {
  /** Months kept before the current one (≥ 1): 3 in December keeps September on. */
  retentionMonths: number;
  /** Months created after the current one (default 2). */
  monthsAhead?: number;
  now?: Date;
}

export async function maintainUsagePartitions(
  db: PrismaClient,
  options: PartitionMaintenanceOptions,
): Promise<{ created: string[]; dropped: string[] }> {
  const monthsAhead = options.monthsAhead ?? 2;
  if (!Number.isInteger(options.retentionMonths) || options.retentionMonths < 1) {
    throw new Error("retentionMonths must be an integer ≥ 1");
  }
  if (!Number.isInteger(monthsAhead) || monthsAhead < 0 || monthsAhead > 24) {
    throw new Error("monthsAhead must be an integer in 0..24");
  }
  const now = (options.now ?? new Date()).toISOString();
  const created = await db.$queryRaw<{ name: string }[]>`
    SELECT usage_events_create_partitions(${now}::timestamp,
      ${now}::timestamp + make_interval(months => ${monthsAhead}::int)) AS name`;
  const dropped = await db.$queryRaw<{ name: string }[]>`
    SELECT usage_events_drop_partitions(${options.retentionMonths}::int, ${now}::timestamp) AS name`;
  return { created: created.map((row) => row.name), dropped: dropped.map((row) => row.name) };
}

/** The monthly partitions that exist now, oldest first. */
export async function listUsagePartitions(db: PrismaClient): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.usage_events'::regclass ORDER BY c.relname`;
  return rows.map((row) => row.name);
}
