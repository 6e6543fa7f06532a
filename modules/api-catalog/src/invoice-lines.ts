// The API catalog's invoice lines: a period's proxied calls per endpoint (method + public
// route template) with their units and cost on the `api.units` meter over [from, to) — what
// the plans that bill it at the endpoints' prices (`billedAtEventCost`) put on the invoice
// (@plinth/billing/usage-lines prices and rounds). Whole hours come from the hourly rollups;
// the partial hours at either end (a period starts and ends at any second) from the events
// themselves, so a call belongs to the period it happened in and the current hour is
// counted before the rollup job has folded it. Only whole past hours trail the rollup job.
import type { PrismaClient } from "@plinth/db";
import type { UsageLineInput } from "@plinth/billing/usage-lines";
import { API_UNITS_METER } from "./proxy/snapshot.ts";

const API_PREFIX = "/api/v1/";
const HOUR = 3_600_000;

interface Sums {
  calls: bigint;
  units: bigint;
  cost: bigint;
}

export async function apiUsageLines(
  db: PrismaClient,
  input: { organizationId: string; meter: string; from: Date; to: Date },
): Promise<UsageLineInput[]> {
  if (input.meter !== API_UNITS_METER || input.to <= input.from) return [];
  const { organizationId } = input;
  const wholeFrom = Math.ceil(input.from.getTime() / HOUR) * HOUR;
  const wholeTo = Math.floor(input.to.getTime() / HOUR) * HOUR;
  // [from, to) as partial ranges read from the events, and whole hours from the rollups.
  const partial: [Date, Date][] =
    wholeFrom >= wholeTo
      ? [[input.from, input.to]]
      : [
          [input.from, new Date(wholeFrom)],
          [new Date(wholeTo), input.to],
        ];
  const [rollups, events, products] = await Promise.all([
    wholeFrom < wholeTo
      ? db.usageRollupHourly.groupBy({
          by: ["method", "route"],
          where: {
            organizationId,
            meter: API_UNITS_METER,
            bucketStart: { gte: new Date(wholeFrom), lt: new Date(wholeTo) },
            route: { not: "" },
          },
          _sum: { calls: true, quantity: true, costMicroCents: true },
        })
      : Promise.resolve([]),
    Promise.all(
      partial
        .filter(([from, to]) => from < to)
        .map(([from, to]) =>
          db.usageEvent.groupBy({
            by: ["method", "route"],
            where: {
              organizationId,
              meter: API_UNITS_METER,
              occurredAt: { gte: from, lt: to },
              route: { not: null },
            },
            _count: { _all: true },
            _sum: { quantity: true, costMicroCents: true },
          }),
        ),
    ),
    db.apiProduct.findMany({ select: { slug: true, name: true } }),
  ]);
  const sums = new Map<string, Sums & { method: string; route: string }>();
  const add = (method: string, route: string, part: Sums) => {
    const key = `${method} ${route}`;
    const sum = sums.get(key) ?? { method, route, calls: 0n, units: 0n, cost: 0n };
    sum.calls += part.calls;
    sum.units += part.units;
    sum.cost += part.cost;
    sums.set(key, sum);
  };
  for (const group of rollups) {
    add(group.method, group.route, {
      calls: group._sum.calls ?? 0n,
      units: group._sum.quantity ?? 0n,
      cost: group._sum.costMicroCents ?? 0n,
    });
  }
  for (const group of events.flat()) {
    add(group.method ?? "", group.route ?? "", {
      calls: BigInt(group._count._all),
      units: BigInt(group._sum.quantity ?? 0),
      cost: group._sum.costMicroCents ?? 0n,
    });
  }
  const names = new Map(products.map((product) => [product.slug, product.name]));
  return [...sums.entries()].map(([key, sum]) => {
    const slug = sum.route.startsWith(API_PREFIX)
      ? sum.route.slice(API_PREFIX.length).split("/")[0]
      : undefined;
    const product = slug ? names.get(slug) : undefined;
    return {
      key,
      description: product ? `${product}: ${key}` : key,
      calls: Number(sum.calls),
      units: Number(sum.units),
      costMicroCents: sum.cost,
    };
  });
}
