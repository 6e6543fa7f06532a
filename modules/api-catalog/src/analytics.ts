// The operator's marketplace analytics (platform admins): revenue over time (MRR from flat
// fees, from the platform's revenue history, plus metered revenue from the usage rollups),
// the revenue report by month (CSV), top organizations and endpoints by calls and revenue,
// error and refusal rates per endpoint. Across tenants, so through the system client.
import type * as z from "zod/mini";
import { toCsv } from "@plinth/core/csv";
import type { PrismaClient } from "@plinth/db";
import type { UserScope } from "@plinth/platform";
import { revenueHistory } from "@plinth/platform/operator";
import { foldByEndpoint, type EndpointUsage } from "./buyer.ts";
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
  const [history, monthly, byOrganization, endpointRows] = await Promise.all([
    revenueHistory(scope),
    db.$queryRaw<{ month: string; calls: bigint; cost: bigint }[]>`
      SELECT to_char(date_trunc('month', bucket_start), 'YYYY-MM') AS month,
             COALESCE(sum(calls), 0)::bigint AS calls,
             COALESCE(sum(cost_micro_cents), 0)::bigint AS cost
      FROM usage_rollups_daily
      WHERE bucket_start >= ${since}
      GROUP BY 1 ORDER BY 1`,
    db.usageRollupDaily.groupBy({
      by: ["organizationId"],
      where: { bucketStart: { gte: thirtyDays }, route: { not: "" } },
      _sum: { calls: true, costMicroCents: true },
    }),
    db.usageRollupDaily.findMany({
      where: { bucketStart: { gte: thirtyDays }, route: { not: "" } },
      select: {
        route: true,
        method: true,
        statusClass: true,
        calls: true,
        quantity: true,
        costMicroCents: true,
        errors: true,
        latencyHistogram: true,
      },
    }),
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
  const top = byOrganization
    .map((row) => ({
      organizationId: row.organizationId,
      calls: Number(row._sum.calls ?? 0),
      costMicroCents: Number(row._sum.costMicroCents ?? 0),
    }))
    .sort((a, b) => b.costMicroCents - a.costMicroCents || b.calls - a.calls)
    .slice(0, 10);
  const organizations = await db.organization.findMany({
    where: { id: { in: top.map((row) => row.organizationId) } },
    select: { id: true, name: true, slug: true },
  });
  return {
    months,
    topOrganizations: top.map((row) => {
      const organization = organizations.find((org) => org.id === row.organizationId);
      return { ...row, name: organization?.name ?? "(deleted)", slug: organization?.slug ?? "" };
    }),
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
