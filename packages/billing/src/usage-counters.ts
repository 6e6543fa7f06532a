// Filling usage counters: the API-key gateway will call this per metered request; the demo
// seeder and tests call it directly. One atomic upsert on (organization, meter, period); the
// period is the subscription's current one (what quotas and usage reports are keyed on).
import type { PrismaClient, TransactionClient } from "@plinth/db";
import type { MeterKey } from "./catalog.ts";
import { resolveEntitlements } from "./entitlements.ts";

export async function recordUsage(
  db: PrismaClient | TransactionClient,
  input: { organizationId: string; meter: MeterKey; quantity: number; now?: Date },
): Promise<{ periodStart: Date; quantity: bigint }> {
  const now = input.now ?? new Date();
  const org = await db.organization.findUniqueOrThrow({
    where: { id: input.organizationId },
    select: { trialEndsAt: true, createdAt: true, subscription: true },
  });
  const { periodStart } = resolveEntitlements({
    organization: org,
    subscription: org.subscription,
    now,
    pastDueGraceDays: 0,
  });
  const rows = await db.$queryRaw<{ quantity: bigint }[]>`
    INSERT INTO usage_counters (organization_id, meter, period_start, quantity, updated_at)
    VALUES (${input.organizationId}, ${input.meter}, ${periodStart}, ${input.quantity}, now())
    ON CONFLICT (organization_id, meter, period_start) DO UPDATE
      SET quantity = usage_counters.quantity + ${input.quantity}, updated_at = now()
    RETURNING quantity`;
  return { periodStart, quantity: rows[0]?.quantity ?? 0n };
}
