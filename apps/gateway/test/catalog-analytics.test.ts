// "Usage numbers on the analytics pages equal the events recorded": a varied set of calls —
// two keys of one buyer and another organization, priced per call and per unit (units from
// the upstream's header), upstream 5xx errors, per-endpoint rate-limit refusals (429) and a
// free endpoint — through the real gateway (loopback upstream, real PostgreSQL), the rollup
// job run, and then every number of the buyer's summary, by-endpoint view, detailed log
// (count through the cursor pages and each filter) and CSV export, and of the operator's
// analytics (top organizations, endpoints with error and refusal rates), compared with the
// raw usage_events counted independently in SQL. A double count (a rollup run twice over the
// same events, a page repeated) or a missed rollup makes a number differ.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const { createCatalogExtension } = await import("@plinth/api-catalog/gateway");
const { sealSecret } = await import("@plinth/api-catalog/secret");
const { routers } = await import("@plinth/api-catalog/trpc");
const { rollupUsage } = await import("@plinth/metering");
const { createAppRouter } = await import("@plinth/trpc");
const { createTestKit, createUser, LOCAL_BILLING, silentLogger } =
  await import("@plinth/trpc/testing");
const kit = await import("./kit.ts");
const { createGatewayRuntime } = await import("../src/runtime.ts");
const { productRoutes } = await import("@plinth/product/http");

type TestDatabase = Awaited<ReturnType<typeof kit.startDatabase>>;
type GatewayRuntime = Awaited<ReturnType<typeof createGatewayRuntime>>;

const trpc = createTestKit(kit.product, createAppRouter(kit.product, { "api-catalog": routers }));

let db: TestDatabase;
let gateway: GatewayRuntime;
let upstream: Server;
let buyer: Awaited<ReturnType<typeof kit.createOrganization>>;
let other: Awaited<ReturnType<typeof kit.createOrganization>>;
const keys: {
  a: { key: string; id: string };
  b: { key: string; id: string };
  o: { key: string; id: string };
} = {} as never;

function startUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const url = request.url ?? "";
      if (url.startsWith("/base/tokens")) {
        const units = /n=(\d+)/.exec(url)?.[1] ?? "1";
        response.writeHead(200, { "content-type": "application/json", "x-usage-units": units });
        return response.end("{}");
      }
      if (url.startsWith("/base/error")) {
        response.writeHead(500, { "content-type": "application/json" });
        return response.end("{}");
      }
      if (url.startsWith("/base/missing")) {
        response.writeHead(404, { "content-type": "application/json" });
        return response.end("{}");
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  db = await kit.startDatabase();
  upstream = await startUpstream();
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/base`;
  const product = await db.system.apiProduct.create({
    data: { slug: "stats", name: "Stats", upstreamBaseUrl: base },
    select: { id: true },
  });
  await db.system.apiProduct.update({
    where: { id: product.id },
    data: sealSecret(product.id, "upstream-secret-analytics-01"),
  });
  const endpoint = (data: {
    method?: string;
    path: string;
    upstreamPath: string;
    pricePerCallMicroCents?: bigint;
    pricePerUnitMicroCents?: bigint;
    unitsHeader?: string;
    rateLimitPerMinute?: number;
  }) => ({
    productId: product.id,
    method: data.method ?? "GET",
    path: data.path,
    upstreamPath: data.upstreamPath,
    summary: data.path,
    pricePerCallMicroCents: data.pricePerCallMicroCents ?? 0n,
    pricePerUnitMicroCents: data.pricePerUnitMicroCents ?? 0n,
    unitsRule: data.unitsHeader ? ("HEADER" as const) : ("PER_CALL" as const),
    unitsHeader: data.unitsHeader ?? null,
    rateLimitPerMinute: data.rateLimitPerMinute ?? null,
  });
  await db.system.apiEndpoint.createMany({
    data: [
      endpoint({ path: "/geo/{x}", upstreamPath: "/geo/{x}", pricePerCallMicroCents: 250_000n }),
      endpoint({
        method: "POST",
        path: "/tokens",
        upstreamPath: "/tokens",
        pricePerCallMicroCents: 1_000n,
        pricePerUnitMicroCents: 7_000n,
        unitsHeader: "x-usage-units",
      }),
      endpoint({ path: "/error", upstreamPath: "/error", pricePerCallMicroCents: 99_000n }),
      endpoint({ path: "/missing", upstreamPath: "/missing", pricePerCallMicroCents: 10_000n }),
      endpoint({ path: "/limited", upstreamPath: "/limited", rateLimitPerMinute: 2 }),
    ],
  });
  buyer = await kit.createOrganization(db, "payg");
  other = await kit.createOrganization(db, "payg");
  const scopes = { scopes: ["apis:call", "usage:read"] };
  keys.a = await kit.issueKey(db, buyer.organization.id, scopes);
  keys.b = await kit.issueKey(db, buyer.organization.id, scopes);
  keys.o = await kit.issueKey(db, other.organization.id, scopes);
  gateway = await createGatewayRuntime({
    database: db,
    databaseUrl: db.url,
    product: kit.product,
    routes: productRoutes(kit.product),
    extensions: [createCatalogExtension({ breaker: { threshold: 1_000, openMs: 1_000 } })],
    logger: silentLogger,
    billing: LOCAL_BILLING,
    flushIntervalMs: 20,
    ipRateLimit: 10_000,
    organizationCacheMs: 0,
  });

  const statuses: number[] = [];
  const hit = async (key: string, path: string, method = "GET") =>
    statuses.push(
      (await kit.call(gateway, path, { key, method, ...(method === "POST" ? { body: {} } : {}) }))
        .status,
    );
  for (let i = 0; i < 6; i++) await hit(keys.a.key, `/api/v1/stats/geo/p${i}`);
  for (const n of [3, 40, 1, 17]) await hit(keys.a.key, `/api/v1/stats/tokens?n=${n}`, "POST");
  for (let i = 0; i < 3; i++) await hit(keys.a.key, "/api/v1/stats/error");
  await hit(keys.a.key, "/api/v1/stats/missing");
  for (let i = 0; i < 5; i++) await hit(keys.b.key, "/api/v1/stats/limited");
  for (let i = 0; i < 2; i++) await hit(keys.b.key, `/api/v1/stats/geo/b${i}`);
  await hit(keys.b.key, "/api/v1/stats/tokens?n=9", "POST");
  for (let i = 0; i < 4; i++) await hit(keys.o.key, `/api/v1/stats/geo/o${i}`);
  await hit(keys.o.key, "/api/v1/stats/error");
  // The mix the test relies on: successes, upstream 4xx and 5xx, rate-limit refusals.
  expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  expect(statuses.filter((s) => s === 500)).toHaveLength(4);
  expect(statuses.filter((s) => s === 404)).toHaveLength(1);
  await gateway.writer.flush();
  await rollupUsage(db.system);
  // A second run over nothing new must add nothing (a double fold would show below).
  await rollupUsage(db.system);
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
});

interface EventSums {
  calls: number;
  units: number;
  cost: number;
  errors: number;
  refusals: number;
}

/** The raw events counted in SQL, grouped by `by` (a column list), for `where`. */
async function eventSums(
  by: "api_key_id" | "method, route" | "organization_id",
  organizationId?: string,
) {
  const rows = await db.system.$queryRawUnsafe<
    ({ k1: string | null; k2?: string | null } & Record<string, bigint>)[]
  >(
    `SELECT ${by === "method, route" ? "method AS k1, route AS k2" : `${by} AS k1`},
            count(*)::bigint AS calls, sum(quantity)::bigint AS units,
            sum(cost_micro_cents)::bigint AS cost,
            count(*) FILTER (WHERE status >= 500)::bigint AS errors,
            count(*) FILTER (WHERE status >= 400 AND status < 500)::bigint AS refusals
     FROM usage_events WHERE route IS NOT NULL AND meter = 'api.units'
     ${organizationId ? "AND organization_id = $1" : ""}
     GROUP BY ${by === "method, route" ? "method, route" : by}`,
    ...(organizationId ? [organizationId] : []),
  );
  return new Map(
    rows.map((row) => [
      by === "method, route" ? `${row.k1} ${row.k2}` : String(row.k1),
      {
        calls: Number(row.calls),
        units: Number(row.units),
        cost: Number(row.cost),
        errors: Number(row.errors),
        refusals: Number(row.refusals),
      } satisfies EventSums,
    ]),
  );
}

const total = (sums: Map<string, EventSums>) =>
  [...sums.values()].reduce(
    (acc, row) => ({
      calls: acc.calls + row.calls,
      units: acc.units + row.units,
      cost: acc.cost + row.cost,
    }),
    { calls: 0, units: 0, cost: 0 },
  );

describe("buyer analytics equal the recorded events", () => {
  it("summary: the meter's calls, units, cost and counter; each key's", async () => {
    const api = trpc.callerFor(db, buyer.owner);
    const summary = await api.apis.usageSummary({ organizationId: buyer.organization.id });
    const byKey = await eventSums("api_key_id", buyer.organization.id);
    const all = total(byKey);
    expect(all.calls).toBe(22);
    const meter = summary.meters.find((row) => row.meter === "api.units");
    expect(meter).toMatchObject({
      calls: all.calls,
      units: all.units,
      costMicroCents: all.cost,
      used: all.units,
    });
    expect(
      Object.fromEntries(
        summary.keys.map((row) => [row.apiKeyId, [row.calls, row.units, row.costMicroCents]]),
      ),
    ).toEqual(
      Object.fromEntries([...byKey].map(([key, row]) => [key, [row.calls, row.units, row.cost]])),
    );
  });

  it.each([1, 30])(
    "by endpoint over %i day(s) (hourly / daily rollups): calls, units, cost, 5xx and 4xx rates",
    async (days) => {
      const api = trpc.callerFor(db, buyer.owner);
      const rows = await api.apis.usageByEndpoint({ organizationId: buyer.organization.id, days });
      const sums = await eventSums("method, route", buyer.organization.id);
      expect(rows).toHaveLength(sums.size);
      for (const row of rows) {
        const expected = sums.get(`${row.method} ${row.route}`);
        expect(expected, `${row.method} ${row.route}`).toBeDefined();
        if (!expected) continue;
        expect([row.calls, row.units, row.costMicroCents, row.errors]).toEqual([
          expected.calls,
          expected.units,
          expected.cost,
          expected.errors,
        ]);
        expect(row.errorRate).toBeCloseTo(expected.errors / expected.calls, 10);
        expect(row.refusalRate).toBeCloseTo(expected.refusals / expected.calls, 10);
      }
      expect(rows.find((row) => row.route === "/api/v1/stats/limited")?.refusalRate).toBeCloseTo(
        3 / 5,
      );
    },
  );

  it("detailed log: every event once through the pages, and each filter's count", async () => {
    const api = trpc.callerFor(db, buyer.owner);
    const organizationId = buyer.organization.id;
    const count = async (filter: Record<string, string> = {}) => {
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = await api.apis.usageLog({
          organizationId,
          limit: 4,
          ...filter,
          ...(cursor ? { cursor } : {}),
        });
        for (const entry of page.entries) {
          expect(seen.has(entry.id)).toBe(false);
          seen.add(entry.id);
        }
        if (!page.nextCursor) return seen.size;
        cursor = page.nextCursor;
      }
    };
    const sql = async (where: string, ...params: unknown[]) => {
      const [row] = await db.system.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*)::bigint AS n FROM usage_events WHERE organization_id = $1 AND route IS NOT NULL ${where}`,
        organizationId,
        ...params,
      );
      return Number(row?.n ?? -1);
    };
    expect(await count()).toBe(await sql(""));
    expect(await count({ apiKeyId: keys.b.id })).toBe(await sql("AND api_key_id = $2", keys.b.id));
    expect(await count({ status: "4xx" })).toBe(await sql("AND status >= 400 AND status < 500"));
    expect(await count({ status: "5xx" })).toBe(await sql("AND status >= 500"));
    expect(await count({ status: "2xx" })).toBe(await sql("AND status >= 200 AND status < 300"));
    expect(await count({ route: "/api/v1/stats/geo/{x}" })).toBe(
      await sql("AND route = $2", "/api/v1/stats/geo/{x}"),
    );
    const [first] = await db.system.$queryRaw<{ at: Date }[]>`
      SELECT occurred_at AS at FROM usage_events WHERE organization_id = ${organizationId}
      ORDER BY occurred_at OFFSET 5 LIMIT 1`;
    if (!first) throw new Error("no events");
    expect(await count({ from: first.at.toISOString() })).toBe(
      await sql("AND occurred_at >= $2", first.at),
    );
    expect(await sql("AND status >= 400 AND status < 500")).toBe(4);
  });

  it("CSV export: a row per event, units and cost summing to the events'", async () => {
    const api = trpc.callerFor(db, buyer.owner);
    const csv = await api.apis.usageCsv({ organizationId: buyer.organization.id, limit: 50 });
    const all = total(await eventSums("api_key_id", buyer.organization.id));
    const lines = csv.csv.trim().split(/\r?\n/);
    const header = (lines[0] ?? "").split(",");
    const body = lines.slice(1).map((line) => line.split(","));
    expect(csv.rows).toBe(all.calls);
    expect(body).toHaveLength(all.calls);
    const units = body.reduce((sum, row) => sum + Number(row[header.indexOf("units")]), 0);
    const usd = body.reduce((sum, row) => sum + Number(row[header.indexOf("cost_usd")]), 0);
    expect(units).toBe(all.units);
    expect(Math.round(usd * 100_000_000)).toBe(all.cost);
  });
});

describe("operator analytics equal the recorded events", () => {
  it("top organizations and endpoints: calls, cost, error and refusal rates across tenants", async () => {
    const admin = await createUser(db, "ops@analytics.test", { platformRole: "SUPER_ADMIN" });
    const view = await trpc.callerFor(db, admin).apiCatalog.analytics({ months: 1 });
    const byOrg = await eventSums("organization_id");
    expect(
      Object.fromEntries(
        view.topOrganizations.map((row) => [row.organizationId, [row.calls, row.costMicroCents]]),
      ),
    ).toEqual(Object.fromEntries([...byOrg].map(([org, row]) => [org, [row.calls, row.cost]])));
    const byEndpoint = await eventSums("method, route");
    expect(view.endpoints).toHaveLength(byEndpoint.size);
    for (const row of view.endpoints) {
      const expected = byEndpoint.get(`${row.method} ${row.route}`);
      if (!expected) throw new Error(`unexpected ${row.method} ${row.route}`);
      expect([row.calls, row.units, row.costMicroCents, row.errors]).toEqual([
        expected.calls,
        expected.units,
        expected.cost,
        expected.errors,
      ]);
      expect(row.errorRate).toBeCloseTo(expected.errors / expected.calls, 10);
      expect(row.refusalRate).toBeCloseTo(expected.refusals / expected.calls, 10);
    }
    const all = total(byOrg);
    expect(view.months.at(-1)?.calls).toBe(all.calls);
  });
});
