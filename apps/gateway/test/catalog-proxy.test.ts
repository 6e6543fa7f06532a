// The API catalog's proxy through the whole gateway pipeline, against a real upstream on
// loopback (node:http) and real PostgreSQL: forwarding and headers (the buyer's key never
// reaches the upstream; the product's secret from the vault does; hop-by-hop headers and
// cookies are stripped; X-Request-Id is forwarded), units from an upstream header metered at
// the endpoint's price, private products invisible to other organizations (calls and the
// OpenAPI document), scope and per-endpoint rate limit, size limits, timeouts, the circuit
// breaker opening and closing, catalog changes served without restart, and the usage numbers
// of the analytics equal to the events recorded.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const { createCatalogExtension } = await import("@plinth/api-catalog/gateway");
const { sealSecret } = await import("@plinth/api-catalog/secret");
const { rollupUsage } = await import("@plinth/metering");
const kit = await import("./kit.ts");
const { createGatewayRuntime } = await import("../src/runtime.ts");
const { productRoutes } = await import("@plinth/product/http");
const { LOCAL_BILLING, silentLogger } = await import("@plinth/trpc/testing");

type TestDatabase = Awaited<ReturnType<typeof kit.startDatabase>>;
type GatewayRuntime = Awaited<ReturnType<typeof createGatewayRuntime>>;

const UPSTREAM_SECRET = "upstream-secret-for-tests-0042";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let db: TestDatabase;
let gateway: GatewayRuntime;
let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];
/** What the upstream answers next for /flaky (status). */
let flakyStatus = 503;

function startUpstream(): Promise<Server> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body,
      });
      const url = request.url ?? "";
      if (url.startsWith("/base/items/")) {
        response.writeHead(200, {
          "content-type": "application/json",
          connection: "keep-alive, x-upstream-hop",
          "x-upstream-hop": "internal",
          "set-cookie": "upstream=1",
          "x-kept": "yes",
        });
        return response.end(
          JSON.stringify({ id: url.split("/")[3]?.split("?")[0], query: url.split("?")[1] ?? "" }),
        );
      }
      if (url.startsWith("/base/tokens")) {
        response.writeHead(200, { "content-type": "application/json", "x-usage-units": "42" });
        return response.end(JSON.stringify({ echoed: body }));
      }
      if (url.startsWith("/base/big")) {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        return response.end(Buffer.alloc(4096, 1));
      }
      const sized = /^\/base\/sized\/(\d+)$/.exec(url);
      if (sized) {
        const size = Number(sized[1]);
        response.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-length": String(size),
        });
        return response.end(Buffer.alloc(size, 2));
      }
      if (url.startsWith("/base/slow")) return; // never answers: the headers timeout
      if (url.startsWith("/base/flaky")) {
        response.writeHead(flakyStatus, { "content-type": "application/json" });
        return response.end(JSON.stringify({ status: flakyStatus }));
      }
      response.writeHead(404);
      response.end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function addProduct(options: {
  slug: string;
  visibility?: "PUBLIC" | "PRIVATE";
  baseUrl?: string;
  endpoints: {
    method?: string;
    path: string;
    upstreamPath: string;
    rateLimitPerMinute?: number;
    pricePerCallMicroCents?: number;
    pricePerUnitMicroCents?: number;
    unitsHeader?: string;
  }[];
}) {
  const product = await db.system.apiProduct.create({
    data: {
      slug: options.slug,
      name: `Product ${options.slug}`,
      upstreamBaseUrl: options.baseUrl ?? `${upstreamUrl}/base`,
      visibility: options.visibility ?? "PUBLIC",
    },
    select: { id: true },
  });
  await db.system.apiProduct.update({
    where: { id: product.id },
    data: sealSecret(product.id, UPSTREAM_SECRET),
  });
  for (const endpoint of options.endpoints) {
    await db.system.apiEndpoint.create({
      data: {
        productId: product.id,
        method: endpoint.method ?? "GET",
        path: endpoint.path,
        upstreamPath: endpoint.upstreamPath,
        summary: `${endpoint.path} of ${options.slug}`,
        rateLimitPerMinute: endpoint.rateLimitPerMinute ?? null,
        pricePerCallMicroCents: BigInt(endpoint.pricePerCallMicroCents ?? 0),
        pricePerUnitMicroCents: BigInt(endpoint.pricePerUnitMicroCents ?? 0),
        unitsRule: endpoint.unitsHeader ? "HEADER" : "PER_CALL",
        unitsHeader: endpoint.unitsHeader ?? null,
      },
    });
  }
  return product.id;
}

/** Waits until `check` holds (the catalog reload is asynchronous), at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 1_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

const CALL_SCOPES = ["apis:call", "usage:read"];
let buyer: { organizationId: string; key: string; keyId: string };
let other: { organizationId: string; key: string };
let privateProductId: string;

beforeAll(async () => {
  db = await kit.startDatabase();
  upstream = await startUpstream();
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await addProduct({
    slug: "items",
    endpoints: [
      { path: "/get/{id}", upstreamPath: "/items/{id}", pricePerCallMicroCents: 200_000 },
      { path: "/limited/{id}", upstreamPath: "/items/{id}", rateLimitPerMinute: 2 },
      {
        method: "POST",
        path: "/tokens",
        upstreamPath: "/tokens",
        pricePerCallMicroCents: 1_000,
        pricePerUnitMicroCents: 3_000,
        unitsHeader: "x-usage-units",
      },
      { method: "POST", path: "/upload", upstreamPath: "/tokens" },
      { path: "/big", upstreamPath: "/big" },
      { path: "/sized/{size}", upstreamPath: "/sized/{size}" },
      { path: "/slow", upstreamPath: "/slow" },
    ],
  });
  await addProduct({ slug: "flaky", endpoints: [{ path: "/call", upstreamPath: "/flaky" }] });
  privateProductId = await addProduct({
    slug: "secret-api",
    visibility: "PRIVATE",
    endpoints: [{ path: "/get/{id}", upstreamPath: "/items/{id}" }],
  });
  const a = await kit.createOrganization(db, "payg");
  const b = await kit.createOrganization(db, "payg");
  const keyA = await kit.issueKey(db, a.organization.id, { scopes: CALL_SCOPES });
  const keyB = await kit.issueKey(db, b.organization.id, { scopes: CALL_SCOPES });
  buyer = { organizationId: a.organization.id, key: keyA.key, keyId: keyA.id };
  other = { organizationId: b.organization.id, key: keyB.key };
  await db.system.apiProductAccess.create({
    data: { productId: privateProductId, organizationId: buyer.organizationId },
  });
  gateway = await createGatewayRuntime({
    database: db,
    databaseUrl: db.url,
    product: kit.product,
    routes: productRoutes(kit.product),
    extensions: [
      createCatalogExtension({
        breaker: { threshold: 3, openMs: 300 },
        headersTimeoutMs: 300,
        maxRequestBytes: 1_024,
        maxResponseBytes: 1_024,
      }),
    ],
    logger: silentLogger,
    billing: LOCAL_BILLING,
    flushIntervalMs: 20,
    ipRateLimit: 1_000,
    organizationCacheMs: 0,
  });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
});

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Record<string, unknown>;
}

describe("forwarding", () => {
  it("sends the product's secret, never the buyer's key; strips hop-by-hop headers; forwards X-Request-Id", async () => {
    const requestId = "0b7c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    seen.length = 0;
    const response = await kit.call(gateway, "/api/v1/items/get/abc?x=1", {
      key: buyer.key,
      headers: {
        "x-request-id": requestId,
        connection: "x-client-hop",
        "x-client-hop": "secret",
        "proxy-authorization": "Basic Zm9vOmJhcg==",
        te: "trailers",
        cookie: "session=buyer",
        "x-custom": "kept",
      },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "abc", query: "x=1" });
    expect(response.headers.get("x-request-id")).toBe(requestId);
    expect(response.headers.get("x-kept")).toBe("yes");
    expect(response.headers.get("x-upstream-hop")).toBeNull();
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(seen).toHaveLength(1);
    const received = seen[0]!;
    expect(received.url).toBe("/base/items/abc?x=1");
    expect(received.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
    expect(received.headers["x-request-id"]).toBe(requestId);
    expect(received.headers["x-custom"]).toBe("kept");
    for (const name of ["x-client-hop", "proxy-authorization", "te", "cookie"]) {
      expect(received.headers[name]).toBeUndefined();
    }
    // The buyer's key appears nowhere in what the upstream received.
    expect(JSON.stringify(received)).not.toContain(buyer.key);
    expect(JSON.stringify(received)).not.toContain(buyer.key.slice(-16));
  });

  it("meters units from the upstream's header at the endpoint's price", async () => {
    const response = await kit.call(gateway, "/api/v1/items/tokens", {
      key: buyer.key,
      method: "POST",
      body: { prompt: "hello" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ echoed: JSON.stringify({ prompt: "hello" }) });
    await gateway.writer.flush();
    const events = await db.system.usageEvent.findMany({
      where: { organizationId: buyer.organizationId, route: "/api/v1/items/tokens" },
      select: { meter: true, quantity: true, costMicroCents: true, status: true, apiKeyId: true },
    });
    expect(events).toEqual([
      {
        meter: "api.units",
        quantity: 42,
        costMicroCents: BigInt(1_000 + 42 * 3_000),
        status: 200,
        apiKeyId: buyer.keyId,
      },
    ]);
  });

  it("counts one unit per call on a per-call endpoint", async () => {
    const before = await db.system.usageEvent.count({
      where: { organizationId: buyer.organizationId, route: "/api/v1/items/get/{id}" },
    });
    expect((await kit.call(gateway, "/api/v1/items/get/one", { key: buyer.key })).status).toBe(200);
    await gateway.writer.flush();
    const events = await db.system.usageEvent.findMany({
      where: { organizationId: buyer.organizationId, route: "/api/v1/items/get/{id}" },
      orderBy: { occurredAt: "desc" },
      select: { quantity: true, costMicroCents: true },
    });
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toEqual({ quantity: 1, costMicroCents: 200_000n });
  });
});

describe("visibility and refusals", () => {
  it("serves a private product only to the organizations granted it", async () => {
    expect((await kit.call(gateway, "/api/v1/secret-api/get/1", { key: buyer.key })).status).toBe(
      200,
    );
    const refused = await kit.call(gateway, "/api/v1/secret-api/get/1", { key: other.key });
    expect(refused.status).toBe(404);
    expect(await problem(refused)).toMatchObject({ code: "NOT_FOUND" });
    const buyerCatalog = (await (
      await kit.call(gateway, "/api/v1/catalog", { key: buyer.key })
    ).json()) as { products: { slug: string }[] };
    const otherCatalog = (await (
      await kit.call(gateway, "/api/v1/catalog", { key: other.key })
    ).json()) as { products: { slug: string }[] };
    expect(buyerCatalog.products.map((p) => p.slug)).toContain("secret-api");
    expect(otherCatalog.products.map((p) => p.slug)).not.toContain("secret-api");
    const spec = (await (await kit.call(gateway, "/api/v1/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(spec.paths)).toContain("/api/v1/items/get/{id}");
    expect(Object.keys(spec.paths).some((path) => path.includes("secret-api"))).toBe(false);
  });

  it("needs the apis:call scope", async () => {
    const readOnly = await kit.issueKey(db, buyer.organizationId, { scopes: ["usage:read"] });
    const response = await kit.call(gateway, "/api/v1/items/get/1", { key: readOnly.key });
    expect(response.status).toBe(403);
    expect(await problem(response)).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
      requiredScope: "apis:call",
    });
  });

  it("applies the endpoint's own rate limit per key", async () => {
    const key = await kit.issueKey(db, buyer.organizationId, { scopes: CALL_SCOPES });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await kit.call(gateway, "/api/v1/items/limited/1", { key: key.key })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });

  it("refuses a request body over the limit (413) and a response over the limit (502)", async () => {
    const big = await kit.call(gateway, "/api/v1/items/upload", {
      key: buyer.key,
      method: "POST",
      body: { text: "x".repeat(2_000) },
    });
    expect(big.status).toBe(413);
    expect(await problem(big)).toMatchObject({ code: "REQUEST_TOO_LARGE" });
    const large = await kit.call(gateway, "/api/v1/items/big", { key: buyer.key });
    expect(large.status).toBe(502);
    expect(await problem(large)).toMatchObject({ code: "UPSTREAM_RESPONSE_TOO_LARGE" });
  });

  it("streams a declared-length answer within the limit; refuses one declared over it (502)", async () => {
    const within = await kit.call(gateway, "/api/v1/items/sized/1000", { key: buyer.key });
    expect(within.status).toBe(200);
    expect(within.headers.get("content-length")).toBe("1000");
    expect(Buffer.from(await within.arrayBuffer()).equals(Buffer.alloc(1000, 2))).toBe(true);
    const over = await kit.call(gateway, "/api/v1/items/sized/2000", { key: buyer.key });
    expect(over.status).toBe(502);
    expect(await problem(over)).toMatchObject({ code: "UPSTREAM_RESPONSE_TOO_LARGE" });
    // The limit is ours, not the upstream's failure: the next call goes through.
    expect((await kit.call(gateway, "/api/v1/items/get/next", { key: buyer.key })).status).toBe(
      200,
    );
  });

  it("answers 504 when the upstream does not answer in time", async () => {
    const response = await kit.call(gateway, "/api/v1/items/slow", { key: buyer.key });
    expect(response.status).toBe(504);
    expect(await problem(response)).toMatchObject({ code: "UPSTREAM_TIMEOUT" });
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures (503 without calling the upstream) and closes after a good probe", async () => {
    flakyStatus = 503;
    for (let i = 0; i < 3; i += 1) {
      expect((await kit.call(gateway, "/api/v1/flaky/call", { key: buyer.key })).status).toBe(503);
    }
    const calls = seen.filter((entry) => entry.url === "/base/flaky").length;
    const open = await kit.call(gateway, "/api/v1/flaky/call", { key: buyer.key });
    expect(open.status).toBe(503);
    expect(open.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await problem(open)).toMatchObject({ code: "UPSTREAM_UNAVAILABLE" });
    expect(seen.filter((entry) => entry.url === "/base/flaky").length).toBe(calls);

    flakyStatus = 200;
    const closed = await eventually(
      async () =>
        (await kit.call(gateway, "/api/v1/flaky/call", { key: buyer.key })).status === 200,
      2_000,
    );
    expect(closed).toBe(true);
    expect((await kit.call(gateway, "/api/v1/flaky/call", { key: buyer.key })).status).toBe(200);
    expect(seen.filter((entry) => entry.url === "/base/flaky").length).toBe(calls + 2);
  });
});

describe("catalog changes", () => {
  it("serves an endpoint added to the catalog within a second, without restart", async () => {
    const product = await db.system.apiProduct.findUniqueOrThrow({
      where: { slug: "items" },
      select: { id: true },
    });
    expect(
      (await kit.call(gateway, "/api/v1/items/new/{x}".replace("{x}", "7"), { key: buyer.key }))
        .status,
    ).toBe(404);
    await db.system.apiEndpoint.create({
      data: {
        productId: product.id,
        method: "GET",
        path: "/new/{x}",
        upstreamPath: "/items/{x}",
        summary: "New",
      },
    });
    const served = await eventually(
      async () =>
        (await kit.call(gateway, "/api/v1/items/new/7", { key: buyer.key })).status === 200,
      1_000,
    );
    expect(served).toBe(true);
  });

  it("stops serving a private product to an organization whose grant is revoked", async () => {
    await db.system.apiProductAccess.deleteMany({
      where: { productId: privateProductId, organizationId: buyer.organizationId },
    });
    const gone = await eventually(
      async () =>
        (await kit.call(gateway, "/api/v1/secret-api/get/1", { key: buyer.key })).status === 404,
    );
    expect(gone).toBe(true);
  });
});

describe("usage numbers", () => {
  it("the by-endpoint analytics equal the events recorded", async () => {
    await gateway.writer.flush();
    await rollupUsage(db.system);
    const events = await db.system.usageEvent.groupBy({
      by: ["route", "method"],
      where: { organizationId: buyer.organizationId, route: { not: null } },
      _count: { _all: true },
      _sum: { quantity: true, costMicroCents: true },
    });
    const response = await kit.call(gateway, "/api/v1/usage/endpoints?days=1", { key: buyer.key });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: {
        route: string;
        method: string;
        calls: number;
        units: number;
        costMicroCents: number;
      }[];
    };
    const fromEvents = events
      .map((row) => ({
        route: row.route ?? "",
        method: row.method ?? "",
        calls: row._count._all,
        units: row._sum.quantity ?? 0,
        costMicroCents: Number(row._sum.costMicroCents ?? 0),
      }))
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
    const fromAnalytics = data
      .map(({ route, method, calls, units, costMicroCents }) => ({
        route,
        method,
        calls,
        units,
        costMicroCents,
      }))
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
    expect(fromAnalytics.length).toBeGreaterThan(3);
    expect(fromAnalytics).toEqual(fromEvents);
  });
});

describe("fuzz: proxied endpoints", () => {
  const HOSTILE = [
    "%00",
    "%ED%A0%80",
    encodeURIComponent("' OR 1=1 --"),
    encodeURIComponent("../../etc/passwd"),
    "..%2F..%2Fadmin",
    "x".repeat(5_000),
    encodeURIComponent("${jndi:ldap://x}<script>"),
  ];
  const LEAK = /prisma|postgres|select |insert |at .*\.ts:|node_modules|stack|TypeError|undici/i;

  it("hostile paths, queries and bodies never make the gateway fail or leak internals", async () => {
    const failures: string[] = [];
    for (const value of HOSTILE) {
      for (const path of [`/api/v1/items/get/${value}?q=${value}`, `/api/v1/items/${value}`]) {
        const answer = await kit.call(gateway, path, { key: buyer.key });
        const text = await answer.text();
        if (answer.status >= 500 || LEAK.test(text)) failures.push(`${path}: ${answer.status}`);
      }
      const posted = await kit.call(gateway, "/api/v1/items/tokens", {
        key: buyer.key,
        method: "POST",
        body: decodeURIComponent(value.includes("%ED") ? "x" : value),
      });
      const text = await posted.text();
      if (posted.status >= 500 || LEAK.test(text))
        failures.push(`POST tokens ${value}: ${posted.status}`);
    }
    // Path traversal stays inside the upstream's base path.
    expect(seen.every((entry) => entry.url.startsWith("/base/"))).toBe(true);
    expect(failures).toEqual([]);
  });
});
