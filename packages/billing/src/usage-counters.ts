// Usage counters: the one home of the upsert on (organization, meter, period), in two forms.
//   recordUsage          one row, optionally capped: quotas (gating.ts consumeQuota), the demo
//                        seeder and tests
//   advanceCountersSql   the batch form: @plinth/metering's writer advances the counters by
//                        the events a flush inserted, in the same statement (docs/metering.md)
// Both add to `quantity` with the same conflict rule; nothing else writes usage_counters'
// quantity. The period is the subscription's current one (what quotas and reports key on).
import type { PrismaClient, TransactionClient } from "@plinth/db";
import { usagePeriodStart } from "./entitlements.ts";

export interface UsageRecord {
  organizationId: string;
  meter: string;
  quantity: number;
  /** The counter's period; default: the organization's current one (one read). */
  periodStart?: Date;
  now?: Date;
  /** Refuse (return null, count nothing) when the counter would go above this. */
  cap?: number | null;
}

export interface RecordedUsage {
  periodStart: Date;
  /** Whether the units were counted (false: the cap refused them). */
  counted: boolean;
  /**
   * The counter after the add; undefined when the cap refused an add to an existing counter.
   * (A refused first insert shows its over-cap value: the caller's transaction must roll back.)
   */
  quantity: bigint | undefined;
}

/** Adds `quantity` to the counter atomically: concurrent calls cannot overshoot a cap. */
export async function recordUsage(
  db: PrismaClient | TransactionClient,
  input: UsageRecord,
): Promise<RecordedUsage> {
  const periodStart =
    input.periodStart ??
    usagePeriodStart(
      await db.subscription.findUnique({
        where: { organizationId: input.organizationId },
        select: { currentPeriodStart: true },
      }),
      input.now ?? new Date(),
    );
  const cap = input.cap ?? null;
  const rows = await db.$queryRaw<{ quantity: bigint }[]>`
    INSERT INTO usage_counters (organization_id, meter, period_start, quantity, updated_at)
    VALUES (${input.organizationId}, ${input.meter}, ${periodStart}, ${input.quantity}, now())
    ON CONFLICT (organization_id, meter, period_start) DO UPDATE
      SET quantity = usage_counters.quantity + ${input.quantity}, updated_at = now()
      WHERE ${cap}::bigint IS NULL OR usage_counters.quantity + ${input.quantity} <= ${cap}::bigint
    RETURNING quantity`;
  const quantity = rows[0]?.quantity;
  // No row: the conflict's WHERE refused the add. A first insert can still exceed the cap.
  const counted = quantity !== undefined && (cap === null || Number(quantity) <= cap);
  return { periodStart, counted, quantity };
}

/**
 * The batch form of the upsert, as SQL text for a data-modifying CTE: adds the `quantity` of
 * every row of `source` (a FROM item with organization_id, meter, period_start, quantity) to
 * its counter. Rows are upserted in one order (organization, meter, period), so concurrent
 * writers — several gateways flushing at once — cannot deadlock. Returns one row per counter.
 */
export function advanceCountersSql(source: string): string {
  return `
      INSERT INTO usage_counters (organization_id, meter, period_start, quantity, updated_at)
      SELECT s.organization_id, s.meter, s.period_start, sum(s.quantity), now()
      FROM ${source} AS s
      GROUP BY s.organization_id, s.meter, s.period_start
      ORDER BY s.organization_id, s.meter, s.period_start
      ON CONFLICT (organization_id, meter, period_start) DO UPDATE
        SET quantity = usage_counters.quantity + EXCLUDED.quantity, updated_at = now()
      RETURNING 1`;
}
