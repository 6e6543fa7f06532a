// Usage billed at each event's own recorded cost (a module's prices: the API catalog's
// endpoints) rather than at the plan's flat per-unit overage: a meter whose plan quota says
// `billedAtEventCost`. The module sums its period's usage into lines (calls, units, cost in
// micro-cents); this file turns them into money and, on Stripe, into pending invoice items of
// the subscription, which Stripe puts on the next invoice (and on its preview).
//
// Rounding (docs/billing.md, "Usage lines"): a line's cost is summed exactly in micro-cents
// (1 cent = 1 000 000 micro-cents) and rounded once, half up, to whole cents; the invoice
// total is the sum of the rounded lines. Nothing is rounded per call.
import type Stripe from "stripe";
import type { Catalog, Quota } from "./catalog.ts";
import type { StripeDeps } from "./stripe/deps.ts";

export const MICRO_CENTS_PER_CENT = 1_000_000n;

/** Micro-cents to whole cents, half up (costs are never negative). */
export function microCentsToCents(microCents: bigint): number {
  if (microCents < 0n) throw new RangeError("a usage cost is never negative");
  return Number((microCents + MICRO_CENTS_PER_CENT / 2n) / MICRO_CENTS_PER_CENT);
}

/** What a module reports for one line (an API endpoint): the period's sums. */
export interface UsageLineInput {
  /** Stable within the meter ("GET /api/v1/geo/lookup/{city}"): one invoice item per key. */
  key: string;
  description: string;
  calls: number;
  units: number;
  costMicroCents: bigint;
}

/** A module's lines for a meter over [from, to) (read with the system client). */
export type UsageLinesSource = (input: {
  organizationId: string;
  meter: string;
  from: Date;
  to: Date;
}) => Promise<UsageLineInput[]>;

export interface UsageInvoiceLine {
  kind: "usage" | "included";
  meter: string;
  key: string;
  description: string;
  calls: number;
  units: number;
  costMicroCents: bigint;
  /** Cents (negative for the included-units credit). */
  amount: number;
}

/** The meters of `plan` billed at event cost. */
export function eventCostMeters(quotas: Readonly<Record<string, Quota>>): string[] {
  return Object.entries(quotas)
    .filter(([, quota]) => quota.billedAtEventCost === true)
    .map(([meter]) => meter);
}

/**
 * The money lines for one meter: one per input line with a cost, then — when the plan
 * includes units (hybrid) — one credit for them, at the period's average cost per unit
 * (the cost of min(included, units) units, rounded half up; never more than the usage).
 */
export function priceUsageLines(
  meter: string,
  quota: Quota,
  inputs: readonly UsageLineInput[],
): UsageInvoiceLine[] {
  const lines: UsageInvoiceLine[] = inputs
    .filter((line) => line.costMicroCents > 0n)
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((line) => ({
      kind: "usage",
      meter,
      ...line,
      amount: microCentsToCents(line.costMicroCents),
    }));
  const units = BigInt(inputs.reduce((sum, line) => sum + line.units, 0));
  const cost = inputs.reduce((sum, line) => sum + line.costMicroCents, 0n);
  const included = quota.included === null ? units : BigInt(quota.included);
  const covered = included < units ? included : units;
  if (covered > 0n && cost > 0n) {
    const credit = microCentsToCents((cost * covered) / units);
    const billed = lines.reduce((sum, line) => sum + line.amount, 0);
    lines.push({
      kind: "included",
      meter,
      key: `${meter}:included`,
      description: `Included units (${covered.toLocaleString("en-US")} of ${(quota.included ?? units).toLocaleString("en-US")})`,
      calls: 0,
      units: -Number(covered),
      costMicroCents: -((cost * covered) / units),
      amount: -Math.min(credit, billed),
    });
  }
  return lines;
}

/** Every event-cost line of the organization's period, priced, for its plan. */
export async function usageInvoiceLines(
  catalog: Catalog,
  source: UsageLinesSource,
  input: { organizationId: string; planKey: string; from: Date; to: Date },
): Promise<UsageInvoiceLine[]> {
  const plan = catalog.getPlan(input.planKey);
  if (!plan) return [];
  const lines: UsageInvoiceLine[] = [];
  for (const meter of eventCostMeters(plan.quotas)) {
    const quota = plan.quotas[meter];
    if (!quota) continue;
    const inputs = await source({
      organizationId: input.organizationId,
      meter,
      from: input.from,
      to: input.to,
    });
    lines.push(...priceUsageLines(meter, quota, inputs));
  }
  return lines;
}

// ── Stripe: pending invoice items ──

const LINE_KEY = "plinth_usage_line";
const PERIOD_KEY = "plinth_usage_period";

/** Stripe metadata values are at most 500 characters. */
const clip = (value: string) => value.slice(0, 500);

/**
 * Makes the subscription's pending invoice items match `lines` for the period starting at
 * `periodStart` (unix seconds): one item per line key, created once (idempotency key with the
 * amount) and updated when the amount moves; items of lines gone to 0 are set to 0. Stripe
 * adds pending items to the subscription's next invoice — the renewal that closes the period.
 * Returns how many items were created or updated.
 */
export async function syncUsageInvoiceItems(
  deps: StripeDeps,
  target: {
    organizationId: string;
    customerId: string;
    subscriptionId: string;
    currency: string;
    periodStart: number;
    periodEnd: number;
  },
  lines: readonly UsageInvoiceLine[],
): Promise<number> {
  const period = String(target.periodStart);
  const existing = new Map<string, Stripe.InvoiceItem>();
  for await (const item of deps.stripe.invoiceItems.list({
    customer: target.customerId,
    pending: true,
    limit: 100,
  })) {
    const key = item.metadata?.[LINE_KEY];
    if (key && item.metadata?.[PERIOD_KEY] === period) existing.set(key, item);
  }
  let written = 0;
  const wanted = new Set<string>();
  for (const line of lines) {
    const key = clip(line.key);
    wanted.add(key);
    const metadata = {
      [LINE_KEY]: key,
      [PERIOD_KEY]: period,
      plinth_meter: line.meter,
      plinth_calls: String(line.calls),
      plinth_units: String(line.units),
      plinth_cost_micro_cents: line.costMicroCents.toString(),
    };
    const item = existing.get(key);
    if (!item) {
      await deps.stripe.invoiceItems.create(
        {
          customer: target.customerId,
          subscription: target.subscriptionId,
          currency: target.currency,
          amount: line.amount,
          description: line.description,
          period: { start: target.periodStart, end: target.periodEnd },
          metadata,
        },
        {
          idempotencyKey:
            `plinth-usage:${target.organizationId}:${period}:${key}:${line.amount}`.slice(0, 255),
        },
      );
      written++;
    } else if (
      item.amount !== line.amount ||
      item.metadata?.plinth_units !== metadata.plinth_units
    ) {
      await deps.stripe.invoiceItems.update(item.id, {
        amount: line.amount,
        description: line.description,
        metadata,
      });
      written++;
    }
  }
  for (const [key, item] of existing) {
    if (wanted.has(key) || item.amount === 0) continue;
    await deps.stripe.invoiceItems.update(item.id, { amount: 0 });
    written++;
  }
  return written;
}

const BILLABLE = ["ACTIVE", "TRIALING", "PAST_DUE"] as const;

/**
 * The usage-report cron's share for event-cost meters: every Stripe subscription on a plan
 * that bills a meter at event cost gets its current period's lines as pending invoice items
 * (syncUsageInvoiceItems), so the renewal invoice carries them even if nobody opened the
 * preview. Returns the organizations synced and those that failed (retried next run).
 */
export async function reportUsageInvoiceItems(
  deps: StripeDeps,
  source: UsageLinesSource,
  options: { organizationId?: string } = {},
): Promise<{ synced: number; failed: { organizationId: string; error: string }[] }> {
  const plans = deps.catalog.plans
    .filter((plan) => eventCostMeters(plan.quotas).length > 0)
    .map((plan) => plan.key);
  if (plans.length === 0) return { synced: 0, failed: [] };
  const rows = await deps.db.system.subscription.findMany({
    where: {
      provider: "STRIPE",
      status: { in: [...BILLABLE] },
      planKey: { in: plans },
      stripeSubscriptionId: { not: null },
      currentPeriodStart: { not: null },
      currentPeriodEnd: { not: null },
      organization: { stripeCustomerId: { not: null } },
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
    },
    select: {
      organizationId: true,
      planKey: true,
      stripeSubscriptionId: true,
      currentPeriodStart: true,
      currentPeriodEnd: true,
      organization: { select: { stripeCustomerId: true } },
    },
  });
  const now = deps.now ? deps.now() : new Date();
  const failed: { organizationId: string; error: string }[] = [];
  let synced = 0;
  for (const row of rows) {
    const { currentPeriodStart: from, currentPeriodEnd: end } = row;
    const customerId = row.organization.stripeCustomerId;
    if (!from || !end || !customerId || !row.stripeSubscriptionId) continue;
    try {
      const lines = await usageInvoiceLines(deps.catalog, source, {
        organizationId: row.organizationId,
        planKey: row.planKey,
        from,
        to: now < end ? now : end,
      });
      await syncUsageInvoiceItems(
        deps,
        {
          organizationId: row.organizationId,
          customerId,
          subscriptionId: row.stripeSubscriptionId,
          currency: "usd",
          periodStart: Math.floor(from.getTime() / 1000),
          periodEnd: Math.floor(end.getTime() / 1000),
        },
        lines,
      );
      synced++;
    } catch (error) {
      failed.push({
        organizationId: row.organizationId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { synced, failed };
}
