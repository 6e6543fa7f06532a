// Usage counters: the one upsert on (organization, meter, period) in the codebase. Quotas
// (gating.ts consumeQuota) count through it with a cap; the API-key gateway, the demo seeder
// and tests record usage through it without one. The period is the subscription's current one
// (what quotas and usage reports are keyed on).
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
