// The node:http fast path (src/fast-path.ts) against the Hono app, on one gateway runtime
// (same database, limiter, metrics and metering): the same requests asked both ways must get
// the same status, the headers that matter and the same body — successes, validation and
// scope refusals, unknown keys, rate limits, catalog proxy calls — and the same usage events.
// A counting fallback proves which path answered.
import { getRequestListener } from "@hono/node-server";
import { randomUUID } from "node:crypto";
import { createServer, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyEntry } from "@plinth/vault";

process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);

const { createCatalogExtension } = await import("@plinth/api-catalog/gateway");
const kit = await import("./kit.ts");
const { createGatewayRuntime } = await import("../src/runtime.ts");
const { createFastPath } = await import("../src/fast-path.ts");
const { productRoutes } = await import("@plinth/product/http");
const { LOCAL_BILLING, silentLogger } = await import("@plinth/trpc/testing");

type TestDatabase = Awaited<ReturnType<typeof kit.startDatabase>>;
type GatewayRuntime = Awaited<ReturnType<typeof createGatewayRuntime>>;

/** Headers both paths must agree on (Date and Connection are node's own). */
const COMPARED = [
  "content-type",
  "cache-control",
  "content-length",
  "x-request-id",
  "www-authenticate",
  "retry-after",
  "ratelimit-policy",
  "x-ratelimit-limit",
  "x-kept",
  "set-cookie",
];

let db: TestDatabase;
let gateway: GatewayRuntime;
let upstream: Server;
let fastUrl: string;
let honoUrl: string;
const servers: Server[] = [];
/** Requests the fast path handed to Hono. */
let fellBack = 0;
let organizationId: string;
let fullKey: string;
let projectId: string;

function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

/**
 * `size` bytes of "a": with their Content-Length, or (`how`) chunked without one, or cut
 * (the socket destroyed half-way through a declared length).
 */
function answerBytes(response: ServerResponse, size: number, how: string | undefined) {
  const chunk = Buffer.alloc(65_536, "a");
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    ...(how === "chunked" ? {} : { "content-length": String(size) }),
  });
  let sent = 0;
  const more = () => {
    const until = how === "cut" ? Math.floor(size / 2) : size;
    while (sent < until) {
      const piece = chunk.subarray(0, Math.min(chunk.length, until - sent));
      sent += piece.length;
      if (!response.write(piece)) return void response.once("drain", more);
    }
    if (how === "cut") response.destroy();
    else response.end();
  };
  more();
}

beforeAll(async () => {
  db = await kit.startDatabase();
  upstream = createServer((request, response) => {
    const bytes = /^\/bytes\/(\d+)(?:\?(\w+))?$/.exec(request.url ?? "");
    if (bytes) return answerBytes(response, Number(bytes[1]), bytes[2]);
    response.writeHead(200, {
      "content-type": "application/json",
      "x-kept": "yes",
      "set-cookie": "upstream=1",
    });
    response.end(JSON.stringify({ url: request.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const product = await db.system.apiProduct.create({
    data: { slug: "echo", name: "Echo", upstreamBaseUrl: upstreamUrl },
  });
  await db.system.apiEndpoint.create({
    data: {
      productId: product.id,
      method: "GET",
      path: "/bytes/{size}",
      upstreamPath: "/bytes/{size}",
      summary: "Sized answers",
    },
  });
  await db.system.apiEndpoint.create({
    data: {
      productId: product.id,
      method: "GET",
      path: "/get/{id}",
      upstreamPath: "/items/{id}",
      summary: "Echo",
      pricePerCallMicroCents: 100_000n,
    },
  });
  const { organization } = await kit.createOrganization(db, "payg");
  organizationId = organization.id;
  fullKey = (await kit.issueKey(db, organizationId)).key;
  projectId = (
    await db.system.project.create({ data: { organizationId, name: "Fast" }, select: { id: true } })
  ).id;
  gateway = await createGatewayRuntime({
    database: db,
    databaseUrl: db.url,
    product: kit.product,
    routes: productRoutes(kit.product),
    extensions: [createCatalogExtension()],
    logger: silentLogger,
    billing: LOCAL_BILLING,
    flushIntervalMs: 20,
    ipRateLimit: 1_000,
    organizationCacheMs: 0,
  });
  const hono = getRequestListener(gateway.app.fetch);
  fastUrl = await serve(
    createFastPath({
      pipeline: gateway.pipeline,
      routes: productRoutes(kit.product),
      extensions: gateway.extensions,
      logger: silentLogger,
      fallback: (req, res) => {
        fellBack++;
        void hono(req, res);
      },
    }),
  );
  honoUrl = await serve((req, res) => void hono(req, res));
});

afterAll(async () => {
  for (const server of servers) server.close();
  upstream?.close();
  await gateway?.close();
  await db?.drop();
});

interface Seen {
  status: number;
  headers: Record<string, string | null>;
  body: string;
}

async function ask(base: string, path: string, key: string | null, requestId: string) {
  const response = await fetch(`${base}${path}`, {
    headers: {
      "x-request-id": requestId,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
  });
  const headers: Record<string, string | null> = {};
  for (const name of COMPARED) headers[name] = response.headers.get(name);
  return {
    status: response.status,
    headers,
    body: await response.text(),
    remaining: response.headers.get("x-ratelimit-remaining"),
  };
}

/** The same request both ways; returns both answers after checking which path served. */
async function both(path: string, key: string | null, expectFallback = false) {
  const requestId = randomUUID();
  const before = fellBack;
  const fast = await ask(fastUrl, path, key, requestId);
  expect(fellBack - before, `fast path fell back for ${path}`).toBe(expectFallback ? 1 : 0);
  const hono = await ask(honoUrl, path, key, requestId);
  return { fast, hono };
}

function comparable({ status, headers, body }: Seen): Seen {
  return { status, headers, body };
}

describe("the fast path answers as the Hono app does", () => {
  it("a module route's list, with the same rate-limit window counted once per request", async () => {
    const { fast, hono } = await both("/api/v1/projects", fullKey);
    expect(fast.status).toBe(200);
    expect(JSON.parse(fast.body)).toEqual({ data: [expect.objectContaining({ id: projectId })] });
    expect(comparable(fast)).toEqual(comparable(hono));
    // One limiter for both paths: Hono's request came second, one fewer left.
    expect(Number(hono.remaining)).toBe(Number(fast.remaining) - 1);
  });

  it.each([
    ["a path parameter", () => `/api/v1/projects/${projectId}`, 200],
    ["a project of nobody", () => "/api/v1/projects/c000000000000000000000000", 404],
    ["an invalid path parameter", () => "/api/v1/projects/not-an-id", 400],
    ["an invalid query", () => "/api/v1/projects?status=BOGUS", 400],
    ["a valid query", () => "/api/v1/projects?status=ALL&status=ACTIVE", 200],
    ["a catalog proxy call", () => "/api/v1/echo/get/abc?x=1", 200],
  ])("%s", async (_what, path, status) => {
    const { fast, hono } = await both(path(), fullKey);
    expect(fast.status).toBe(status);
    expect(comparable(fast)).toEqual(comparable(hono));
  });

  it("the proxied answer carries the upstream's headers, without its cookie", async () => {
    const { fast } = await both("/api/v1/echo/get/abc?x=1", fullKey);
    expect(fast.headers["x-kept"]).toBe("yes");
    expect(fast.headers["set-cookie"]).toBeNull();
    expect(JSON.parse(fast.body)).toEqual({ url: "/items/abc?x=1" });
  });

  it("a 5 MiB upstream answer of declared length: streamed through, the same bytes and headers both ways", async () => {
    const size = 5 * 1_048_576;
    const { fast, hono } = await both(`/api/v1/echo/bytes/${size}`, fullKey);
    expect(fast.status).toBe(200);
    expect(fast.headers["content-length"]).toBe(String(size));
    expect(fast.body).toBe("a".repeat(size));
    expect(comparable(fast)).toEqual(comparable(hono));
  });

  it.each([
    ["declared", ""],
    ["chunked", "?chunked"],
  ])(
    "an upstream answer over the 10 MiB limit (%s): the same clean 502 both ways",
    async (_how, query) => {
      const { fast, hono } = await both(`/api/v1/echo/bytes/${11 * 1_048_576}${query}`, fullKey);
      expect(fast.status).toBe(502);
      expect(fast.headers["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(fast.body)).toMatchObject({ code: "UPSTREAM_RESPONSE_TOO_LARGE" });
      expect(comparable(fast)).toEqual(comparable(hono));
    },
  );

  it("an upstream answer cut mid-body: the client's answer is cut too, on both paths", async () => {
    for (const base of [fastUrl, honoUrl]) {
      const answer = ask(base, "/api/v1/echo/bytes/1048576?cut", fullKey, randomUUID());
      await expect(answer, base).rejects.toThrow();
    }
    // Both paths meter a streamed answer when it has ended: cut, it is a 502 billed nothing.
    for (const base of [fastUrl, honoUrl]) {
      const { key, id } = await kit.issueKey(db, organizationId);
      await expect(
        ask(base, "/api/v1/echo/bytes/1048576?cut", key, randomUUID()),
      ).rejects.toThrow();
      await expect
        .poll(async () => {
          await gateway.writer.flush();
          return db.system.usageEvent.findMany({
            where: { apiKeyId: id },
            select: { status: true, quantity: true, costMicroCents: true },
          });
        })
        .toEqual([{ status: 502, quantity: 0, costMicroCents: 0n }]);
    }
    // The gateway still answers afterwards.
    expect((await both("/api/v1/echo/get/after", fullKey)).fast.status).toBe(200);
  });

  it("a short answer cut mid-body: never a whole-looking answer; a 502 is billed nothing", async () => {
    const cut = "/api/v1/echo/bytes/1000?cut";
    for (const base of [fastUrl, honoUrl]) {
      const { key, id } = await kit.issueKey(db, organizationId);
      // Cut before the gateway had the whole answer: a 502 (the Hono app reads short answers
      // before answering; the fast path too when the cut comes with the head); cut after its
      // head was sent: the connection ends.
      const answer = await ask(base, cut, key, randomUUID()).catch(() => null);
      if (answer) {
        expect(answer.status, base).toBe(502);
        expect(JSON.parse(answer.body)).toMatchObject({ code: "UPSTREAM_FAILED" });
        await gateway.writer.flush();
        const billed = await db.system.usageEvent.findMany({
          where: { apiKeyId: id },
          select: { status: true, quantity: true, costMicroCents: true },
        });
        expect(billed).toEqual([{ status: 502, quantity: 0, costMicroCents: 0n }]);
      } else {
        expect(base).toBe(fastUrl);
      }
    }
    expect((await both("/api/v1/echo/get/after-cut", fullKey)).fast.status).toBe(200);
  });

  it("an unknown key: the same 401 with its challenge", async () => {
    const { fast, hono } = await both("/api/v1/projects", "plk_test_unknown0000000000000000000000");
    expect(fast.status).toBe(401);
    expect(fast.headers["www-authenticate"]).toBe('Bearer realm="api"');
    expect(comparable(fast)).toEqual(comparable(hono));
  });

  it("a key without the route's scope: the same 403", async () => {
    const { key } = await kit.issueKey(db, organizationId, { scopes: ["usage:read"] });
    const { fast, hono } = await both("/api/v1/projects", key);
    expect(fast.status).toBe(403);
    expect(JSON.parse(fast.body)).toMatchObject({ code: "INSUFFICIENT_SCOPE" });
    expect(comparable(fast)).toEqual(comparable(hono));
  });

  it("the key's rate limit: the same 429 with Retry-After once the window is spent", async () => {
    const limit = { requests: 1, windowSeconds: 60 };
    const viaFast = await kit.issueKey(db, organizationId, { rateLimit: limit });
    const viaHono = await kit.issueKey(db, organizationId, { rateLimit: limit });
    const requestId = randomUUID();
    const answers = [];
    for (const [base, key] of [
      [fastUrl, viaFast.key],
      [honoUrl, viaHono.key],
    ] as const) {
      expect((await ask(base, "/api/v1/projects", key, requestId)).status).toBe(200);
      answers.push(await ask(base, "/api/v1/projects", key, requestId));
    }
    const [fast, hono] = answers;
    expect(fast?.status).toBe(429);
    expect(fast?.headers["retry-after"]).toMatch(/^\d+$/);
    expect(comparable(fast!)).toEqual(comparable(hono!));
  });

  it("hands Hono what it does not serve: no key, public paths, unknown routes, escapes", async () => {
    const noKey = await both("/api/v1/projects", null, true);
    expect(noKey.fast.status).toBe(401);
    expect(comparable(noKey.fast)).toEqual(comparable(noKey.hono));
    const health = await both("/api/v1/health", fullKey, true);
    expect(health.fast.status).toBe(200);
    const unknown = await both("/api/v1/no-such-route", fullKey, true);
    expect(unknown.fast.status).toBe(404);
    expect(comparable(unknown.fast)).toEqual(comparable(unknown.hono));
    // A percent-escape ("%63" is "c"): Hono decodes paths, the fast path never does.
    const escaped = await both(`/api/v1/projects/%63${projectId.slice(1)}`, fullKey, true);
    expect(escaped.fast.status).toBe(200);
    expect(comparable(escaped.fast)).toEqual(comparable(escaped.hono));
  });

  it("meters both paths alike: one usage event each, same meter, route, status and units", async () => {
    const pathOf = "/api/v1/projects?status=ARCHIVED";
    const viaFast = await kit.issueKey(db, organizationId);
    const viaHono = await kit.issueKey(db, organizationId);
    expect((await ask(fastUrl, pathOf, viaFast.key, randomUUID())).status).toBe(200);
    expect((await ask(honoUrl, pathOf, viaHono.key, randomUUID())).status).toBe(200);
    const proxied = "/api/v1/echo/get/metered";
    expect((await ask(fastUrl, proxied, viaFast.key, randomUUID())).status).toBe(200);
    expect((await ask(honoUrl, proxied, viaHono.key, randomUUID())).status).toBe(200);
    await gateway.writer.flush();
    const eventsOf = (apiKeyId: string) =>
      db.system.usageEvent.findMany({
        where: { apiKeyId },
        orderBy: { occurredAt: "asc" },
        select: {
          meter: true,
          route: true,
          method: true,
          status: true,
          quantity: true,
          costMicroCents: true,
        },
      });
    const fastEvents = await eventsOf(viaFast.id);
    expect(fastEvents).toHaveLength(2);
    expect(fastEvents.map((event) => event.meter)).toEqual(["api.requests", "api.units"]);
    expect(fastEvents).toEqual(await eventsOf(viaHono.id));
  });

  it("fuzz: every GET route with hostile params and queries, the same answer both ways, never 5xx", async () => {
    const hostile = [
      "' OR 1=1 --",
      "x".repeat(2_000),
      "%00",
      "日本語",
      "c".padEnd(25, "0"),
      "..",
      "a;b",
      "(select)",
    ].map(encodeURIComponent);
    const queries = [
      "",
      "?status=%27%3B--",
      "?status=ALL&status=NOPE",
      "?days=-1",
      "?days=1e9",
      "?=",
    ];
    const getRoutes = productRoutes(kit.product).filter((route) => route.method === "GET");
    const { key } = await kit.issueKey(db, organizationId, {
      rateLimit: { requests: 1_000_000, windowSeconds: 60 },
    });
    let asked = 0;
    for (const route of getRoutes) {
      for (const value of hostile) {
        const path = `/api/v1${route.path.replace(/\{\w+\}/g, value)}`;
        for (const query of route.query ? queries : [""]) {
          const requestId = randomUUID();
          const fast = await ask(fastUrl, `${path}${query}`, key, requestId);
          const hono = await ask(honoUrl, `${path}${query}`, key, requestId);
          expect(fast.status, `${path}${query}`).toBeLessThan(500);
          expect(fast.body).not.toMatch(/prisma|select |postgres|stack/i);
          // Usage reads count the API requests: the second answer has seen the first.
          const counted = route.apiScope === "usage:read";
          const settled = (seen: Seen): Seen =>
            counted
              ? { ...seen, headers: { ...seen.headers, "content-length": null }, body: "" }
              : seen;
          expect(settled(comparable(fast)), `${path}${query}`).toEqual(settled(comparable(hono)));
          asked++;
        }
      }
    }
    expect(asked).toBeGreaterThan(getRoutes.length);
  });
});
