// The operator's catalog through the tRPC router on real PostgreSQL: CRUD for products,
// endpoints and private grants, each change on the platform audit log (never the secret),
// typed refusals for bad input, platform admins only; the upstream secret sealed by the vault
// (stored encrypted, shown masked, opened only by the gateway's loader); the buyer's catalog
// shows public products and its own grants only; operator analytics equal the events.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { generateKeyEntry } from "@plinth/vault";
import type { EndpointUsage } from "../src/buyer.ts";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const { bucketOf, HISTOGRAM_LENGTH, histogramQuantile, rollupUsage } =
  await import("@plinth/metering");
const { loadSnapshot } = await import("../src/proxy/snapshot.ts");
const { callerFor, createOrganization, createUser, setPlan, TRPCError } = await import("./kit.ts");

let db: TestDatabase;
let admin: Awaited<ReturnType<typeof createUser>>;
let operator: ReturnType<typeof callerFor>;

beforeAll(async () => {
  db = await createTestDatabase();
  admin = await createUser(db, "admin@catalog.test", { platformRole: "SUPER_ADMIN" });
  operator = callerFor(db, admin);
});
afterAll(() => db.drop());

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return null;
  if (!(error instanceof TRPCError))
    throw error instanceof Error ? error : new Error("not thrown as an Error", { cause: error });
  return error.code;
}

const SECRET = "sk_upstream_live_0123456789abcdef";

describe("catalog CRUD", () => {
  it("creates, updates, deprecates and deletes a product and its endpoints, each change audited", async () => {
    const product = await operator.apiCatalog.createProduct({
      slug: "weather",
      name: "Weather",
      upstreamBaseUrl: "https://weather.example.test/v2",
      upstreamSecret: SECRET,
    });
    expect(product).toMatchObject({
      slug: "weather",
      visibility: "PUBLIC",
      status: "ACTIVE",
      upstreamAuthHint: "••••cdef",
    });
    expect(JSON.stringify(product)).not.toContain(SECRET);
    const stored = await db.system.apiProduct.findUniqueOrThrow({ where: { id: product.id } });
    expect(Buffer.from(stored.secretCiphertext ?? []).toString("utf8")).not.toContain(SECRET);

    const endpoint = await operator.apiCatalog.createEndpoint({
      productId: product.id,
      method: "GET",
      path: "/forecast/{city}",
      upstreamPath: "/forecast/{city}",
      summary: "Forecast for a city",
      pricePerCallMicroCents: 500_000,
      unitsRule: "PER_CALL",
    });
    expect(endpoint).toMatchObject({ method: "GET", pricePerCallMicroCents: 500_000 });
    await operator.apiCatalog.updateEndpoint({ endpointId: endpoint.id, rateLimitPerMinute: 30 });
    await operator.apiCatalog.updateProduct({ productId: product.id, description: "Forecasts" });
    await operator.apiCatalog.setProductStatus({
      productId: product.id,
      status: "DEPRECATED",
      sunsetAt: new Date("2031-01-01T00:00:00Z"),
    });
    const listed = await operator.apiCatalog.get({ productId: product.id });
    expect(listed).toMatchObject({
      description: "Forecasts",
      status: "DEPRECATED",
      endpoints: [{ path: "/forecast/{city}", rateLimitPerMinute: 30 }],
    });
    await operator.apiCatalog.deleteEndpoint({ endpointId: endpoint.id });
    await operator.apiCatalog.deleteProduct({ productId: product.id });
    expect(await codeOf(operator.apiCatalog.get({ productId: product.id }))).toBe("NOT_FOUND");

    const audit = await db.system.auditLog.findMany({
      where: { organizationId: null, targetId: { in: [product.id, endpoint.id] } },
      orderBy: { createdAt: "asc" },
      select: { action: true, actorId: true, changes: true },
    });
    expect(audit.map((entry) => entry.action)).toEqual([
      "api_product.create",
      "api_endpoint.create",
      "api_endpoint.update",
      "api_product.update",
      "api_product.status",
      "api_endpoint.delete",
      "api_product.delete",
    ]);
    expect(audit.every((entry) => entry.actorId === admin.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit[0]?.changes).toMatchObject({ upstreamSecret: { to: "replaced" } });
  });

  it("opens the sealed secret only in the gateway's loader, bound to its product", async () => {
    const product = await operator.apiCatalog.createProduct({
      slug: "sealed",
      name: "Sealed",
      upstreamBaseUrl: "http://127.0.0.1:9",
      upstreamSecret: SECRET,
    });
    const snapshot = await loadSnapshot(db.system, "/api/v1", () => undefined);
    expect(snapshot.products.get("sealed")?.secret?.reveal()).toBe(SECRET);
    // Moved onto another product's row, the ciphertext does not open: that product is not served.
    const other = await operator.apiCatalog.createProduct({
      slug: "thief",
      name: "Thief",
      upstreamBaseUrl: "http://127.0.0.1:9",
    });
    const sealed = await db.system.apiProduct.findUniqueOrThrow({ where: { id: product.id } });
    await db.system.apiProduct.update({
      where: { id: other.id },
      data: {
        secretKeyVersion: sealed.secretKeyVersion,
        secretNonce: sealed.secretNonce,
        secretCiphertext: sealed.secretCiphertext,
        secretAuthTag: sealed.secretAuthTag,
      },
    });
    const failures: string[] = [];
    const after = await loadSnapshot(db.system, "/api/v1", (id) => failures.push(id));
    expect(failures).toEqual([other.id]);
    expect(after.products.has("thief")).toBe(false);
  });

  it("refuses bad input with typed errors", async () => {
    const base = { name: "X", upstreamBaseUrl: "https://x.example.test" };
    expect(await codeOf(operator.apiCatalog.createProduct({ ...base, slug: "usage" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf(
        operator.apiCatalog.createProduct({ ...base, slug: "ok", upstreamBaseUrl: "ftp://x" }),
      ),
    ).toBe("BAD_REQUEST");
    await operator.apiCatalog.createProduct({ ...base, slug: "dup" });
    expect(await codeOf(operator.apiCatalog.createProduct({ ...base, slug: "dup" }))).toBe(
      "CONFLICT",
    );
    const { id } = await operator.apiCatalog.createProduct({ ...base, slug: "paths" });
    const endpoint = {
      productId: id,
      method: "GET" as const,
      path: "/a/{id}",
      upstreamPath: "/b/{other}",
      summary: "A",
    };
    expect(await codeOf(operator.apiCatalog.createEndpoint(endpoint))).toBe("PRECONDITION_FAILED");
    expect(
      await codeOf(
        operator.apiCatalog.createEndpoint({
          ...endpoint,
          upstreamPath: "/b/{id}",
          unitsRule: "HEADER",
        }),
      ),
    ).toBe("PRECONDITION_FAILED");
    await operator.apiCatalog.createEndpoint({ ...endpoint, upstreamPath: "/b/{id}" });
    expect(
      await codeOf(operator.apiCatalog.createEndpoint({ ...endpoint, upstreamPath: "/b/{id}" })),
    ).toBe("CONFLICT");
    expect(
      await codeOf(operator.apiCatalog.setProductStatus({ productId: id, status: "DEPRECATED" })),
    ).toBe("PRECONDITION_FAILED");
  });

  it("is for platform admins only", async () => {
    const user = await createUser(db, "buyer@catalog.test");
    const caller = callerFor(db, user);
    expect(await codeOf(caller.apiCatalog.list())).toBe("FORBIDDEN");
    expect(
      await codeOf(
        caller.apiCatalog.createProduct({
          slug: "mine",
          name: "Mine",
          upstreamBaseUrl: "https://x.example.test",
        }),
      ),
    ).toBe("FORBIDDEN");
  });
});

describe("the buyer's catalog", () => {
  it("lists public products and the private ones granted to the organization only", async () => {
    const ownerA = await createUser(db, "a@buyers.test");
    const ownerB = await createUser(db, "b@buyers.test");
    const orgA = await createOrganization(db, ownerA, "Buyer A");
    const orgB = await createOrganization(db, ownerB, "Buyer B");
    await setPlan(db, orgA.id, "payg");
    const open = await operator.apiCatalog.createProduct({
      slug: "open-data",
      name: "Open data",
      upstreamBaseUrl: "https://open.example.test",
    });
    await operator.apiCatalog.createEndpoint({
      productId: open.id,
      method: "GET",
      path: "/rows",
      upstreamPath: "/rows",
      summary: "Rows",
      pricePerCallMicroCents: 10_000,
    });
    const partner = await operator.apiCatalog.createProduct({
      slug: "partner",
      name: "Partner",
      upstreamBaseUrl: "https://partner.example.test",
      visibility: "PRIVATE",
    });
    await operator.apiCatalog.grantAccess({ productId: partner.id, organizationSlug: orgA.slug });
    const seenByA = await callerFor(db, ownerA).apis.catalog({ organizationId: orgA.id });
    const seenByB = await callerFor(db, ownerB).apis.catalog({ organizationId: orgB.id });
    expect(seenByA.products.map((p) => p.slug)).toEqual(
      expect.arrayContaining(["open-data", "partner"]),
    );
    expect(seenByB.products.map((p) => p.slug)).toContain("open-data");
    expect(seenByB.products.map((p) => p.slug)).not.toContain("partner");
    expect(seenByA.plan).toMatchObject({ key: "payg", units: { included: 0 } });
    expect(seenByA.products.find((p) => p.slug === "open-data")?.endpoints).toEqual([
      expect.objectContaining({ path: "/api/v1/open-data/rows", pricePerCallMicroCents: 10_000 }),
    ]);
    // Another tenant's member cannot read A's catalog (NOT_FOUND, not the data).
    expect(await codeOf(callerFor(db, ownerB).apis.catalog({ organizationId: orgA.id }))).toBe(
      "NOT_FOUND",
    );
    await operator.apiCatalog.revokeAccess({ productId: partner.id, organizationSlug: orgA.slug });
    const afterRevoke = await callerFor(db, ownerA).apis.catalog({ organizationId: orgA.id });
    expect(afterRevoke.products.map((p) => p.slug)).not.toContain("partner");
  });
});

describe("usage numbers", () => {
  it("buyer summary, log and series and the operator's analytics equal the events recorded", async () => {
    const owner = await createUser(db, "usage@buyers.test");
    const org = await createOrganization(db, owner, "Usage Co");
    await setPlan(db, org.id, "payg");
    const now = new Date();
    const periodStart =
      (await db.system.subscription.findUniqueOrThrow({ where: { organizationId: org.id } }))
        .currentPeriodStart ?? new Date(now.getTime() - 86_400_000);
    const events = [
      {
        route: "/api/v1/geo/lookup/{query}",
        status: 200,
        quantity: 1,
        cost: 200_000,
        latencyMs: 12,
      },
      {
        route: "/api/v1/geo/lookup/{query}",
        status: 200,
        quantity: 1,
        cost: 200_000,
        latencyMs: 30,
      },
      { route: "/api/v1/geo/lookup/{query}", status: 502, quantity: 0, cost: 0, latencyMs: 800 },
      { route: "/api/v1/llm/complete", status: 200, quantity: 42, cost: 84_000, latencyMs: 95 },
      { route: "/api/v1/llm/complete", status: 429, quantity: 0, cost: 0, latencyMs: 1 },
    ];
    await db.system.usageEvent.createMany({
      data: events.map((event, index) => ({
        organizationId: org.id,
        meter: "api.units",
        quantity: event.quantity,
        route: event.route,
        method: event.route.endsWith("complete") ? "POST" : "GET",
        status: event.status,
        latencyMs: event.latencyMs,
        costMicroCents: BigInt(event.cost),
        occurredAt: new Date(Math.max(periodStart.getTime(), now.getTime() - 60_000) + index),
      })),
    });
    await rollupUsage(db.system);
    const buyer = callerFor(db, owner);
    const summary = await buyer.apis.usageSummary({ organizationId: org.id });
    const units = summary.meters.find((meter) => meter.meter === "api.units");
    expect(units).toMatchObject({
      calls: events.length,
      units: events.reduce((sum, e) => sum + e.quantity, 0),
      costMicroCents: events.reduce((sum, e) => sum + e.cost, 0),
    });
    const byEndpoint = await buyer.apis.usageByEndpoint({ organizationId: org.id, days: 2 });
    expect(
      byEndpoint.map(({ route, calls, errors, costMicroCents }) => ({
        route,
        calls,
        errors,
        costMicroCents,
      })),
    ).toEqual([
      { route: "/api/v1/geo/lookup/{query}", calls: 3, errors: 1, costMicroCents: 400_000 },
      { route: "/api/v1/llm/complete", calls: 2, errors: 0, costMicroCents: 84_000 },
    ]);
    expect(byEndpoint[1]?.refusalRate).toBe(0.5);
    const log = await buyer.apis.usageLog({ organizationId: org.id, limit: 2 });
    expect(log.entries).toHaveLength(2);
    const rest = await buyer.apis.usageLog({
      organizationId: org.id,
      limit: 10,
      cursor: log.nextCursor ?? undefined,
    });
    expect(log.entries.length + rest.entries.length).toBe(events.length);
    expect(rest.nextCursor).toBeNull();
    const failed = await buyer.apis.usageLog({ organizationId: org.id, status: "5xx" });
    expect(failed.entries.map((entry) => entry.status)).toEqual([502]);
    const csv = await buyer.apis.usageCsv({ organizationId: org.id });
    expect(csv.rows).toBe(events.length);
    expect(csv.csv.trim().split("\r\n")).toHaveLength(events.length + 1);
    const series = await buyer.apis.usageSeries({
      organizationId: org.id,
      days: 2,
      bucket: "hour",
    });
    expect(series.points.reduce((sum, p) => sum + p.calls, 0)).toBe(events.length);

    // A second organization on one of the same endpoints: the operator's figures sum across
    // tenants (in SQL, per route/method/status class, histograms element-wise).
    const otherOwner = await createUser(db, "usage-other@buyers.test");
    const other = await createOrganization(db, otherOwner, "Usage Other Co");
    await setPlan(db, other.id, "payg");
    await db.system.usageEvent.createMany({
      data: [3, 7, 260, 4_000].map((latencyMs, index) => ({
        organizationId: other.id,
        meter: "api.units",
        quantity: 1,
        route: "/api/v1/geo/lookup/{query}",
        method: "GET",
        status: latencyMs > 1_000 ? 404 : 200,
        latencyMs,
        costMicroCents: 200_000n,
        occurredAt: new Date(now.getTime() - 30_000 + index),
      })),
    });
    await rollupUsage(db.system);

    const analytics = await operator.apiCatalog.analytics({ months: 2 });
    const mine = analytics.topOrganizations.find((row) => row.organizationId === org.id);
    expect(mine).toMatchObject({ calls: events.length, costMicroCents: 484_000 });
    expect(analytics.topOrganizations.find((row) => row.organizationId === other.id)).toMatchObject(
      { calls: 4, costMicroCents: 800_000, name: "Usage Other Co" },
    );
    // Every endpoint figure equals the one computed here from the raw events of 30 days.
    const recorded = await db.system.usageEvent.findMany({
      where: {
        route: { not: null },
        occurredAt: { gte: new Date(now.getTime() - 29 * 86_400_000) },
      },
      select: {
        route: true,
        method: true,
        status: true,
        quantity: true,
        costMicroCents: true,
        latencyMs: true,
      },
    });
    const expected = new Map<string, EndpointUsage & { histogram: number[]; refusals: number }>();
    for (const event of recorded) {
      const id = `${event.method} ${event.route}`;
      const row = expected.get(id) ?? {
        route: event.route ?? "",
        method: event.method ?? "",
        calls: 0,
        units: 0,
        costMicroCents: 0,
        errors: 0,
        errorRate: 0,
        refusalRate: 0,
        p50Ms: null,
        p95Ms: null,
        histogram: Array.from({ length: HISTOGRAM_LENGTH }, () => 0),
        refusals: 0,
      };
      row.calls += 1;
      row.units += event.quantity;
      row.costMicroCents += Number(event.costMicroCents);
      if ((event.status ?? 0) >= 500) row.errors += 1;
      if (Math.floor((event.status ?? 0) / 100) === 4) row.refusals += 1;
      if (event.latencyMs !== null) row.histogram[bucketOf(event.latencyMs)]! += 1;
      expected.set(id, row);
    }
    expect(
      [...analytics.endpoints].sort((a, b) =>
        `${a.method} ${a.route}`.localeCompare(`${b.method} ${b.route}`),
      ),
    ).toEqual(
      [...expected.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, { histogram, refusals, ...row }]) => ({
          ...row,
          errorRate: row.errors / row.calls,
          refusalRate: refusals / row.calls,
          p50Ms: histogramQuantile(histogram, 0.5),
          p95Ms: histogramQuantile(histogram, 0.95),
        })),
    );
    const geo = analytics.endpoints.find((row) => row.route === "/api/v1/geo/lookup/{query}");
    expect(geo).toMatchObject({ calls: 7, errors: 1, costMicroCents: 1_200_000 });
    const thisMonth = await db.system.usageEvent.aggregate({
      where: {
        occurredAt: { gte: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) },
      },
      _count: { _all: true },
    });
    expect(analytics.months.at(-1)?.calls).toBe(thisMonth._count._all);
    const report = await operator.apiCatalog.revenueCsv({ months: 2 });
    expect(report.csv.split("\r\n")[0]).toBe(
      "month,mrr_usd,metered_usd,total_usd,calls,new_organizations,churned",
    );
  });
});
