// Reports metered usage to Stripe as billing meter events, exactly once per unit.
//
// UsageCounter.quantity is what was used in a period, reportedQuantity what Stripe has been
// told about. A report is an intent recorded *before* calling Stripe: a MeterReport row whose
// identifier names the counter and the range it covers (`...:<from>-<to>`). Until Stripe
// accepts it and reportedQuantity moves to <to>, every retry re-sends that same intent with
// the same identifier (Stripe de-duplicates meter events by identifier), never a new range —
// so a crash after Stripe accepted but before we recorded it cannot double-count.
import { Prisma } from "@plinth/db";
import { nowOf, type StripeDeps } from "./deps.ts";
import { meterEventName } from "./prices.ts";

const BILLABLE_STATUSES = ["ACTIVE", "TRIALING", "PAST_DUE"] as const;

export interface UsageReportLine {
  organizationId: string;
  meter: string;
  periodStart: Date;
  identifier: string;
  /** Units sent to Stripe in this meter event. */
  value: bigint;
  resent: boolean;
}

export interface UsageReportResult {
  reported: UsageReportLine[];
  failed: { organizationId: string; meter: string; error: string }[];
}

/** Units of `quantity` that are billable: everything beyond the plan's included quota. */
export function billableUnits(quantity: bigint, included: number | null): bigint {
  if (included === null) return 0n;
  const over = quantity - BigInt(included);
  return over > 0n ? over : 0n;
}

function isDuplicateIdentifier(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const message = "message" in error ? String(error.message) : "";
  return /identifier/i.test(message) && /(already|duplicate)/i.test(message);
}

interface Intent {
  identifier: string;
  from: bigint;
  to: bigint;
  value: bigint;
  resent: boolean;
}

export async function reportUsage(
  deps: StripeDeps,
  options: { organizationId?: string; log?: (line: string) => void } = {},
): Promise<UsageReportResult> {
  const { system } = deps.db;
  const result: UsageReportResult = { reported: [], failed: [] };
  const counters = await system.$queryRaw<
    {
      organization_id: string;
      meter: string;
      period_start: Date;
      plan_key: string;
      customer_id: string;
    }[]
  >`
    SELECT c.organization_id, c.meter, c.period_start, s.plan_key, o.stripe_customer_id AS customer_id
    FROM usage_counters c
    JOIN organizations o ON o.id = c.organization_id
    JOIN subscriptions s ON s.organization_id = c.organization_id
    WHERE c.quantity > c.reported_quantity
      AND o.stripe_customer_id IS NOT NULL
      AND s.provider = 'STRIPE'
      AND s.status::text IN (${Prisma.join([...BILLABLE_STATUSES])})
      ${options.organizationId ? Prisma.sql`AND c.organization_id = ${options.organizationId}` : Prisma.empty}
    ORDER BY c.organization_id, c.meter, c.period_start`;

  for (const counter of counters) {
    const meter = counter.meter;
    // A meter of a disabled module, or one the plan does not meter: nothing to report.
    const quota = deps.catalog.getPlan(counter.plan_key)?.quotas[meter];
    if (quota?.overageMicroCents === undefined) continue;
    // Billed at the events' own cost as invoice items (usage-lines.ts), not as meter events.
    if (quota.billedAtEventCost) continue;
    const key = {
      organizationId: counter.organization_id,
      meter,
      periodStart: counter.period_start,
    };
    try {
      // At most: one pending intent, then one fresh range.
      for (let round = 0; round < 3; round++) {
        const intent = await nextIntent(deps, key, quota.included);
        if (!intent) break;
        try {
          await deps.stripe.billing.meterEvents.create(
            {
              event_name: meterEventName(meter),
              identifier: intent.identifier,
              payload: { stripe_customer_id: counter.customer_id, value: intent.value.toString() },
              timestamp: Math.floor(nowOf(deps).getTime() / 1000),
            },
            { idempotencyKey: intent.identifier },
          );
        } catch (error) {
          if (!isDuplicateIdentifier(error)) throw error;
        }
        await system.$executeRaw`
          UPDATE usage_counters SET reported_quantity = ${intent.to}, updated_at = now()
          WHERE organization_id = ${key.organizationId} AND meter = ${key.meter}
            AND period_start = ${key.periodStart} AND reported_quantity = ${intent.from}`;
        result.reported.push({
          ...key,
          identifier: intent.identifier,
          value: intent.value,
          resent: intent.resent,
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.failed.push({ organizationId: key.organizationId, meter, error: message });
      options.log?.(`usage report ${key.organizationId}/${meter} failed: ${message}`);
    }
  }
  return result;
}

/** The pending intent for this counter, or a new one for what is unreported; null when done. */
async function nextIntent(
  deps: StripeDeps,
  key: { organizationId: string; meter: string; periodStart: Date },
  included: number | null,
): Promise<Intent | null> {
  return deps.db.system.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ quantity: bigint; reported_quantity: bigint }[]>`
      SELECT quantity, reported_quantity FROM usage_counters
      WHERE organization_id = ${key.organizationId} AND meter = ${key.meter} AND period_start = ${key.periodStart}
      FOR UPDATE`;
    const counter = rows[0];
    if (!counter) return null;
    const from = counter.reported_quantity;
    const prefix = `plinth:${key.organizationId}:${key.meter}:${Math.floor(key.periodStart.getTime() / 1000)}:${from}-`;
    const pending = await tx.meterReport.findFirst({
      where: { identifier: { startsWith: prefix } },
    });
    if (pending) {
      return {
        identifier: pending.identifier,
        from,
        to: BigInt(pending.identifier.slice(prefix.length)),
        value: pending.quantity,
        resent: true,
      };
    }
    const to = counter.quantity;
    if (to <= from) return null;
    const value = billableUnits(to, included) - billableUnits(from, included);
    if (value <= 0n) {
      // Still inside the included quota: nothing to bill, just move the mark.
      await tx.usageCounter.update({
        where: { organizationId_meter_periodStart: key },
        data: { reportedQuantity: to },
      });
      return null;
    }
    const identifier = `${prefix}${to}`;
    await tx.meterReport.create({ data: { ...key, quantity: value, identifier } });
    return { identifier, from, to, value, resent: false };
  });
}
