// What a buyer organization sees: the APIs it may call (public ones and the private ones
// granted to it) with their prices and its plan's limits, and its usage — read from the
// metering rollups (summary, by endpoint, over time) and the events (the detailed log).
// Everything through the organization's RLS-scoped client: the catalog tables are
// platform-level (readable by every tenant), the grants, rollups, counters and events are
// the tenant's own.
import type * as z from "zod/mini";
import { toCsv } from "@plinth/core/csv";
import { addHistograms, histogramQuantile } from "@plinth/metering";
import type { OrgScope } from "@plinth/platform";
import type { usageLogInput, usageRangeInput, usageSeriesInput } from "./contract.ts";
import { API_UNITS_METER } from "./proxy/snapshot.ts";

type Input<T extends z.ZodMiniType> = z.output<T>;
const API_PREFIX = "/api/v1";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BuyerEndpoint {
  method: string;
  /** The full public path: /api/v1/<slug>/… */
  path: string;
  summary: string;
  pricePerCallMicroCents: number;
  pricePerUnitMicroCents: number;
  unitsRule: "PER_CALL" | "HEADER";
  unitsHeader: string | null;
  rateLimitPerMinute: number | null;
  deprecated: boolean;
}

export interface BuyerCatalog {
  plan: {
    key: string;
    name: string;
    rateLimit: { requests: number; windowSeconds: number };
    /** The plan's api.units quota: included per period (null: unlimited) and overage price. */
    units: { included: number | null; overageMicroCents: number | null } | null;
  };
  products: {
    slug: string;
    name: string;
    description: string;
    visibility: "PUBLIC" | "PRIVATE";
    status: "ACTIVE" | "DEPRECATED";
    sunsetAt: Date | null;
    endpoints: BuyerEndpoint[];
  }[];
}

export async function buyerCatalog(scope: OrgScope): Promise<BuyerCatalog> {
  const now = scope.clock.now();
  const rows = await scope.db.client.apiProduct.findMany({
    where: {
      status: { not: "ARCHIVED" },
      OR: [
        { visibility: "PUBLIC" },
        { access: { some: { organizationId: scope.organization.id } } },
      ],
    },
    orderBy: { name: "asc" },
    select: {
      slug: true,
      name: true,
      description: true,
      visibility: true,
      status: true,
      sunsetAt: true,
      endpoints: {
        where: { status: { not: "ARCHIVED" } },
        orderBy: [{ path: "asc" }, { method: "asc" }],
        select: {
          method: true,
          path: true,
          summary: true,
          pricePerCallMicroCents: true,
          pricePerUnitMicroCents: true,
          unitsRule: true,
          unitsHeader: true,
          rateLimitPerMinute: true,
          status: true,
        },
      },
    },
  });
  const { entitlements } = scope;
  const quota = entitlements.quotas[API_UNITS_METER];
  return {
    plan: {
      key: entitlements.plan.key,
      name: entitlements.plan.name,
      rateLimit: {
        requests: entitlements.rateLimits.api.requests,
        windowSeconds: entitlements.rateLimits.api.windowSeconds,
      },
      units: quota
        ? { included: quota.included, overageMicroCents: quota.overageMicroCents ?? null }
        : null,
    },
    products: rows
      .filter((row) => !(row.status === "DEPRECATED" && row.sunsetAt && row.sunsetAt <= now))
      .map((row) => ({
        slug: row.slug,
        name: row.name,
        description: row.description,
        visibility: row.visibility,
        status: row.status === "DEPRECATED" ? "DEPRECATED" : "ACTIVE",
        sunsetAt: row.sunsetAt,
        endpoints: row.endpoints.map((endpoint) => ({
          method: endpoint.method,
          path: `${API_PREFIX}/${row.slug}${endpoint.path}`,
          summary: endpoint.summary,
          pricePerCallMicroCents: Number(endpoint.pricePerCallMicroCents),
          pricePerUnitMicroCents: Number(endpoint.pricePerUnitMicroCents),
          unitsRule: endpoint.unitsRule,
          unitsHeader: endpoint.unitsHeader,
          rateLimitPerMinute: endpoint.rateLimitPerMinute,
          deprecated: endpoint.status === "DEPRECATED" || row.status === "DEPRECATED",
        })),
      })),
  };
}

// ── Usage, from the rollups ──

interface Totals {
  calls: number;
  units: number;
  costMicroCents: number;
}

export interface UsageSummary {
  periodStart: Date;
  meters: (Totals & {
    meter: string;
    label: string;
    /** The period's counter (what quotas and invoices use). */
    used: number;
    included: number | null;
    /** used / included (null: unlimited or not in the plan). */
    utilisation: number | null;
  })[];
  keys: (Totals & { apiKeyId: string; name: string; prefix: string })[];
}

export async function usageSummary(scope: OrgScope): Promise<UsageSummary> {
  const { periodStart, quotas } = scope.entitlements;
  const organizationId = scope.organization.id;
  const db = scope.db.client;
  const [byMeter, byKey, counters, keys] = await Promise.all([
    db.usageRollupHourly.groupBy({
      by: ["meter"],
      where: { organizationId, bucketStart: { gte: periodStart } },
      _sum: { calls: true, quantity: true, costMicroCents: true },
    }),
    db.usageRollupHourly.groupBy({
      by: ["apiKeyId"],
      where: { organizationId, bucketStart: { gte: periodStart }, apiKeyId: { not: "" } },
      _sum: { calls: true, quantity: true, costMicroCents: true },
    }),
    db.usageCounter.findMany({
      where: { organizationId, periodStart },
      select: { meter: true, quantity: true },
    }),
    db.apiKey.findMany({
      where: { organizationId },
      select: { id: true, name: true, prefix: true },
    }),
  ]);
  const totals = (sum: {
    calls: bigint | null;
    quantity: bigint | null;
    costMicroCents: bigint | null;
  }): Totals => ({
    calls: Number(sum.calls ?? 0),
    units: Number(sum.quantity ?? 0),
    costMicroCents: Number(sum.costMicroCents ?? 0),
  });
  const meters = Object.entries(scope.product.meters);
  return {
    periodStart,
    meters: meters.map(([meter, declaration]) => {
      const group = byMeter.find((row) => row.meter === meter);
      const used = Number(counters.find((row) => row.meter === meter)?.quantity ?? 0);
      const included = quotas[meter]?.included ?? null;
      return {
        meter,
        label: declaration.description,
        ...(group ? totals(group._sum) : { calls: 0, units: 0, costMicroCents: 0 }),
        used,
        included,
        utilisation: included ? used / included : null,
      };
    }),
    keys: byKey
      .map((group) => {
        const key = keys.find((row) => row.id === group.apiKeyId);
        return {
          apiKeyId: group.apiKeyId,
          name: key?.name ?? "Deleted key",
          prefix: key?.prefix ?? "",
          ...totals(group._sum),
        };
      })
      .sort((a, b) => b.calls - a.calls),
  };
}

export interface EndpointUsage extends Totals {
  route: string;
  method: string;
  errors: number;
  /** 5xx answers / calls. */
  errorRate: number;
  /** 4xx answers (refusals: rate limits, quotas, bad input) / calls. */
  refusalRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface RollupRow {
  route: string;
  method: string;
  statusClass: number;
  calls: bigint;
  quantity: bigint;
  costMicroCents: bigint;
  errors: bigint;
  latencyHistogram: bigint[];
}

/** Per route and method: calls, units, cost, error and refusal rates, p50/p95 latency. */
export function foldByEndpoint(rows: readonly RollupRow[]): EndpointUsage[] {
  const groups = new Map<string, { row: EndpointUsage; histogram: number[]; refusals: number }>();
  for (const row of rows) {
    const id = `${row.method} ${row.route}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        row: {
          route: row.route,
          method: row.method,
          calls: 0,
          units: 0,
          costMicroCents: 0,
          errors: 0,
          errorRate: 0,
          refusalRate: 0,
          p50Ms: null,
          p95Ms: null,
        },
        histogram: [],
        refusals: 0,
      };
      groups.set(id, group);
    }
    group.row.calls += Number(row.calls);
    group.row.units += Number(row.quantity);
    group.row.costMicroCents += Number(row.costMicroCents);
    group.row.errors += Number(row.errors);
    if (row.statusClass === 4) group.refusals += Number(row.calls);
    group.histogram = addHistograms(group.histogram, row.latencyHistogram);
  }
  return [...groups.values()]
    .map(({ row, histogram, refusals }) => ({
      ...row,
      errorRate: row.calls ? row.errors / row.calls : 0,
      refusalRate: row.calls ? refusals / row.calls : 0,
      p50Ms: histogramQuantile(histogram, 0.5),
      p95Ms: histogramQuantile(histogram, 0.95),
    }))
    .sort((a, b) => b.calls - a.calls || a.route.localeCompare(b.route));
}

const ROLLUP_SELECT = {
  route: true,
  method: true,
  statusClass: true,
  calls: true,
  quantity: true,
  costMicroCents: true,
  errors: true,
  latencyHistogram: true,
} as const;

export async function usageByEndpoint(
  scope: OrgScope,
  input: Input<typeof usageRangeInput>,
): Promise<EndpointUsage[]> {
  const since = new Date(scope.clock.now().getTime() - input.days * DAY);
  const where = { organizationId: scope.organization.id, route: { not: "" } };
  // One day: the hourly rollups (the last 24 hours exactly). Longer ranges: the daily ones
  // from the UTC day `since` falls in — 24× fewer rows to fold (the 30-day view read ~17 000
  // hourly rows per organization: 2 s; docs/benchmarks.md, "Marketplace analytics").
  const rows =
    input.days <= 1
      ? await scope.db.client.usageRollupHourly.findMany({
          where: { ...where, bucketStart: { gte: since } },
          select: ROLLUP_SELECT,
        })
      : await scope.db.client.usageRollupDaily.findMany({
          where: {
            ...where,
            bucketStart: { gte: new Date(Math.floor(since.getTime() / DAY) * DAY) },
          },
          select: ROLLUP_SELECT,
        });
  return foldByEndpoint(rows);
}

export interface SeriesPoint extends Totals {
  bucketStart: Date;
  errors: number;
}

export async function usageSeries(
  scope: OrgScope,
  input: Input<typeof usageSeriesInput>,
): Promise<{ bucket: "hour" | "day"; points: SeriesPoint[] }> {
  const now = scope.clock.now();
  const step = input.bucket === "hour" ? HOUR : DAY;
  const end = Math.floor(now.getTime() / step) * step;
  const start =
    end -
    (input.bucket === "hour" ? Math.min(input.days * 24, 24 * 14) - 1 : input.days - 1) * step;
  const where = {
    organizationId: scope.organization.id,
    bucketStart: { gte: new Date(start) },
    route: { not: "" },
  };
  const by = ["bucketStart"] as const;
  const sums = { calls: true, quantity: true, costMicroCents: true, errors: true } as const;
  const groups =
    input.bucket === "hour"
      ? await scope.db.client.usageRollupHourly.groupBy({ by: [...by], where, _sum: sums })
      : await scope.db.client.usageRollupDaily.groupBy({ by: [...by], where, _sum: sums });
  const byStart = new Map(groups.map((group) => [group.bucketStart.getTime(), group._sum]));
  const points: SeriesPoint[] = [];
  for (let at = start; at <= end; at += step) {
    const sum = byStart.get(at);
    points.push({
      bucketStart: new Date(at),
      calls: Number(sum?.calls ?? 0),
      units: Number(sum?.quantity ?? 0),
      costMicroCents: Number(sum?.costMicroCents ?? 0),
      errors: Number(sum?.errors ?? 0),
    });
  }
  return { bucket: input.bucket, points };
}

// ── The detailed log, from the events ──

export interface LogEntry {
  id: string;
  occurredAt: Date;
  apiKeyId: string | null;
  meter: string;
  route: string | null;
  method: string | null;
  status: number | null;
  latencyMs: number | null;
  units: number;
  costMicroCents: number;
}

const STATUS_RANGES = {
  "2xx": [200, 300],
  "3xx": [300, 400],
  "4xx": [400, 500],
  "5xx": [500, 600],
};

export async function usageLog(
  scope: OrgScope,
  input: Input<typeof usageLogInput>,
): Promise<{ entries: LogEntry[]; nextCursor: string | null }> {
  const range = input.status ? STATUS_RANGES[input.status] : null;
  const cursor = input.cursor
    ? await scope.db.client.usageEvent.findFirst({
        where: { organizationId: scope.organization.id, id: input.cursor },
        select: { id: true, occurredAt: true },
      })
    : null;
  const rows = await scope.db.client.usageEvent.findMany({
    where: {
      organizationId: scope.organization.id,
      route: input.route ?? { not: null },
      ...(input.apiKeyId ? { apiKeyId: input.apiKeyId } : {}),
      ...(range ? { status: { gte: range[0], lt: range[1] } } : {}),
      occurredAt: {
        ...(input.from ? { gte: input.from } : {}),
        ...(input.to ? { lt: input.to } : {}),
      },
      ...(cursor
        ? {
            OR: [
              { occurredAt: { lt: cursor.occurredAt } },
              { occurredAt: cursor.occurredAt, id: { lt: cursor.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      occurredAt: true,
      apiKeyId: true,
      meter: true,
      route: true,
      method: true,
      status: true,
      latencyMs: true,
      quantity: true,
      costMicroCents: true,
    },
  });
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map(({ quantity, costMicroCents, ...row }) => ({
      ...row,
      units: quantity,
      costMicroCents: Number(costMicroCents),
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

const CSV_MAX_ROWS = 10_000;

/** The filtered log as CSV (newest first, at most 10 000 rows). */
export async function usageLogCsv(
  scope: OrgScope,
  input: Input<typeof usageLogInput>,
): Promise<{ filename: string; csv: string; rows: number; truncated: boolean }> {
  const entries: LogEntry[] = [];
  let cursor: string | undefined = undefined;
  let truncated = false;
  for (;;) {
    const page: { entries: LogEntry[]; nextCursor: string | null } = await usageLog(scope, {
      ...input,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    entries.push(...page.entries);
    if (!page.nextCursor) break;
    if (entries.length >= CSV_MAX_ROWS) {
      truncated = true;
      break;
    }
    cursor = page.nextCursor;
  }
  const rows = entries.slice(0, CSV_MAX_ROWS);
  return {
    filename: `usage-${scope.organization.slug}-${scope.clock.now().toISOString().slice(0, 10)}.csv`,
    csv: toCsv(
      [
        "time",
        "api_key_id",
        "meter",
        "method",
        "route",
        "status",
        "latency_ms",
        "units",
        "cost_usd",
      ],
      rows.map((row) => [
        row.occurredAt,
        row.apiKeyId,
        row.meter,
        row.method,
        row.route,
        row.status,
        row.latencyMs === null ? "" : row.latencyMs.toFixed(2),
        row.units,
        (row.costMicroCents / 100_000_000).toFixed(8),
      ]),
    ),
    rows: rows.length,
    truncated,
  };
}
