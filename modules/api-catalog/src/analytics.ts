// The operator's marketplace analytics (platform admins): revenue over time (MRR from flat
// fees, from the platform's revenue history, plus metered revenue from the usage rollups),
// the revenue report by month (CSV), top organizations and endpoints by calls and revenue,
// error and refusal rates per endpoint. Across tenants, so through the system client.
import type * as z from "zod/mini";
import { toCsv } from "@plinth/core/csv";
import { Prisma, type PrismaClient } from "@plinth/db";
import { HISTOGRAM_LENGTH } from "@plinth/metering";
import type { UserScope } from "@plinth/platform";
import { revenueHistory } from "@plinth/platform/operator";
import { foldByEndpoint, type EndpointUsage, type RollupRow } from "./buyer.ts";
import type { operatorAnalyticsInput } from "./contract.ts";

type Input<T extends z.ZodMiniType> = z.output<T>;

const analyticsDb = (scope: UserScope): PrismaClient =>
  scope.asSystem("api catalog analytics: operator, across tenants");

export interface MonthRevenue {
  month: string;
  mrrCents: number;
  /** Usage cost at list prices in the month (all meters), in cents. */
  meteredCents: number;
  calls: number;
  newOrganizations: number;
  churned: number;
}

export interface MarketplaceAnalytics {
  months: MonthRevenue[];
  topOrganizations: {
    organizationId: string;
    name: string;
    slug: string;
    calls: number;
    costMicroCents: number;
  }[];
  endpoints: EndpointUsage[];
  since: Date;
}

// The latency histograms of a group summed element-wise in SQL (one sum per bucket): built
// from a constant only (the histogram length), never from input. A shorter stored array
// counts as zeros, as addHistograms does.
const HISTOGRAM_SUM = Prisma.raw(
  `ARRAY[${Array.from(
    { length: HISTOGRAM_LENGTH },
    (_, i) => `COALESCE(sum(latency_histogram[${i + 1}]), 0)`,
  ).join(", ")}]::bigint[]`,
);

function monthStart(date: Date, back = 0): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - back, 1));
}

export async function marketplaceAnalytics(
  scope: UserScope,
  input: Input<typeof operatorAnalyticsInput>,
): Promise<MarketplaceAnalytics> {
  const db = analyticsDb(scope);
  const now = scope.clock.now();
  const since = monthStart(now, input.months - 1);
  const thirtyDays = new Date(now.getTime() - 30 * 86_400_000);
  // Stored as UTC wall-clock values (timestamp without time zone), as the rollup job writes.
  const thirtyDaysAt = thirtyDays.toISOString();
  const [history, monthly, byOrganization, endpointRows] = await Promise.all([
    revenueHistory(scope),
    // Grouped on date_trunc, formatted after: to_char once per month, not once per row.
    db.$queryRaw<{ month: string; calls: bigint; cost: bigint }[]>`
      SELECT to_char(month, 'YYYY-MM') AS month, calls, cost
      FROM (
        SELECT date_trunc('month', bucket_start) AS month,
               COALESCE(sum(calls), 0)::bigint AS calls,
               COALESCE(sum(cost_micro_cents), 0)::bigint AS cost
        FROM usage_rollups_daily
        WHERE bucket_start >= ${since}
        GROUP BY 1
      ) m
      ORDER BY 1`,
    // Top organizations and per-endpoint figures: summed in SQL (GROUP BY), so a few dozen
    // rows cross the wire instead of every organization's daily rows with their histograms
    // (28 800 on 10 M events: 2–3 s folded in JavaScript; docs/benchmarks.md).
    // The names joined here: no second round trip after the ten are known.
    db.$queryRaw<
      { organizationId: string; name: string; slug: string; calls: bigint; cost: bigint }[]
    >`
      SELECT t.organization_id AS "organizationId", COALESCE(o.name, '(deleted)') AS name,
             COALESCE(o.slug, '') AS slug, t.calls, t.cost
      FROM (
        SELECT organization_id, sum(calls)::bigint AS calls, sum(cost_micro_cents)::bigint AS cost
        FROM usage_rollups_daily
        WHERE bucket_start >= ${thirtyDaysAt}::timestamp AND route <> ''
        GROUP BY organization_id
        ORDER BY cost DESC, calls DESC, organization_id
        LIMIT 10
      ) t
      LEFT JOIN organizations o ON o.id = t.organization_id
      ORDER BY t.cost DESC, t.calls DESC, t.organization_id`,
    // Per route, method and status class (what foldByEndpoint needs for the refusal rate).
    db.$queryRaw<RollupRow[]>`
      SELECT route, method, status_class AS "statusClass", sum(calls)::bigint AS calls,
             sum(quantity)::bigint AS quantity, sum(cost_micro_cents)::bigint AS "costMicroCents",
             sum(errors)::bigint AS errors, ${HISTOGRAM_SUM} AS "latencyHistogram"
      FROM usage_rollups_daily
      WHERE bucket_start >= ${thirtyDaysAt}::timestamp AND route <> ''
      GROUP BY route, method, status_class`,
  ]);
  const months: MonthRevenue[] = [];
  for (let back = input.months - 1; back >= 0; back -= 1) {
    const month = monthStart(now, back).toISOString().slice(0, 7);
    const fees = history.months.find((row) => row.month === month);
    const usage = monthly.find((row) => row.month === month);
    months.push({
      month,
      mrrCents: fees?.mrrCents ?? 0,
      meteredCents: Math.round(Number(usage?.cost ?? 0) / 1_000_000),
      calls: Number(usage?.calls ?? 0),
      newOrganizations: fees?.newOrganizations ?? 0,
      churned: fees?.churned ?? 0,
    });
  }
  return {
    months,
    topOrganizations: byOrganization.map((row) => ({
      organizationId: row.organizationId,
      name: row.name,
      slug: row.slug,
      calls: Number(row.calls),
      costMicroCents: Number(row.cost),
    })),
    endpoints: foldByEndpoint(endpointRows),
    since: thirtyDays,
  };
}

/** The revenue report by month as CSV (flat fees and metered usage, in dollars). */
export async function revenueReportCsv(
  scope: UserScope,
  input: Input<typeof operatorAnalyticsInput>,
): Promise<{ filename: string; csv: string }> {
  const { months } = await marketplaceAnalytics(scope, input);
  return {
    filename: `revenue-by-month-${scope.clock.now().toISOString().slice(0, 10)}.csv`,
    csv: toCsv(
      ["month", "mrr_usd", "metered_usd", "total_usd", "calls", "new_organizations", "churned"],
      months.map((row) => [
        row.month,
        (row.mrrCents / 100).toFixed(2),
        (row.meteredCents / 100).toFixed(2),
        ((row.mrrCents + row.meteredCents) / 100).toFixed(2),
        row.calls,
        row.newOrganizations,
        row.churned,
      ]),
    ),
  };
}
