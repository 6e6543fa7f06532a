// The public gateway: /api/v1 on Hono. Every request runs the same pipeline —
//
//   request id → parse key (a mistyped key is refused without a database read) → verify
//   (cache) → the key's organization (cached read) → rate limit (the key's own limit or the
//   plan's rateLimits.api; per client IP without a valid key) → bind the organization (the
//   key actor's OrgScope) → API access in the plan → the route's API scope → Idempotency-Key
//   (POST) → quota (consumeQuota on hard-capped plans) → the module's handler (the same
//   services as tRPC) → meter (one usage event per answered request, batched writer)
//
// — and answers refusals as problem+json (./problem.ts). Unknown, revoked, expired and
// malformed keys all get the same 401. Routes come from @plinth/product/http (core's and the
// enabled modules'); each is registered with @hono/zod-openapi, so /api/v1/openapi.json is
// generated from the very schemas that validate requests.
import { getConnInfo } from "@hono/node-server/conninfo";
import { OpenAPIHono, createRoute, type RouteConfig } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import { HTTPException } from "hono/http-exception";
import { isIP } from "node:net";
import { randomUUID } from "node:crypto";
import type { VerifiedApiKey, VerifyResult } from "@plinth/api-keys";
import { consumeQuota, requireFeature, requireWritable } from "@plinth/billing/gating";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { AppError } from "@plinth/core/errors";
import type { Logger } from "@plinth/core/logger";
import type { Database } from "@plinth/db";
import { isDatabaseBusy } from "@plinth/db/errors";
import type { UsageEventInput } from "@plinth/metering";
import {
  bindOrganizationContext,
  createRequestScope,
  loadOrganizationContext,
  type OrganizationContextCache,
  type OrgScope,
  type ProductRuntime,
} from "@plinth/platform";
import type { HttpRoute, HttpRoutes } from "@plinth/platform/http";
import { rateLimitHeaders, type RateLimiter, type RateLimitPolicy } from "@plinth/rate-limit";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyKeyHeader,
  requestFingerprint,
} from "./idempotency.ts";
import type { GatewayMetrics } from "./metrics.ts";
import {
  appErrorProblem,
  internalProblem,
  malformedProblem,
  problemResponse,
  routeNotFoundProblem,
  unavailableProblem,
  validationProblem,
  type ProblemDetails,
} from "./problem.ts";

export const API_PREFIX = "/api/v1";
/** Every API request counts one unit of this meter (declared by core). */
export const API_METER = "api.requests";

export interface GatewayDeps {
  database: Database;
  product: ProductRuntime;
  routes: HttpRoutes;
  verifier: { verify(bearer: string): Promise<VerifyResult> };
  limiter: RateLimiter;
  meter: { record(event: UsageEventInput): boolean };
  /** What binding reads, per organization (packages/platform); none: read per request. */
  organizations: OrganizationContextCache | null;
  billing: () => BillingRuntime;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Requests per minute per client IP without a valid key. */
  ipRateLimit: number;
  /** Database reachability for GET /api/v1/health. */
  ping(): Promise<boolean>;
  /** Handlers after the pipeline, before the module routes (./extensions.ts). */
  mounts?: readonly GatewayMount[];
}

/** Adds handlers to the app (a module's gateway extension, the API reference). */
export type GatewayMount = (
  app: OpenAPIHono<GatewayEnv>,
  tools: { errorResponse(c: Context<GatewayEnv>, error: unknown): Response },
) => void;

export interface Metered {
  scope: OrgScope;
  key: VerifiedApiKey;
  /** Units counted for this request (0: refused before the quota, or a replay). */
  units: number;
  /** The quota check already added the units to the period counter. */
  preCounted: boolean;
  /** Another meter than api.requests, and its cost (an extension's answer). */
  meter?: string;
  costMicroCents?: number;
}

export type GatewayEnv = Env;
type Env = {
  Variables: {
    requestId: string;
    started: number;
    ip: string | null;
    /** The route template ("/api/v1/projects/{id}"), set by the matched route. */
    route: string | null;
    metered: Metered | null;
    rateLimitHeaders: Record<string, string>;
  };
};

/** Answered without a key (per-IP limit only). */
const PUBLIC_PATHS = new Set([`${API_PREFIX}/health`, `${API_PREFIX}/openapi.json`]);
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i;

function clientIp(c: Context<Env>): string | null {
  try {
    const address = getConnInfo(c).remote.address;
    if (!address) return null;
    const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
    return isIP(plain) ? plain : null;
  } catch {
    return null; // not served by @hono/node-server (app.request in tests)
  }
}

export function createGatewayApp(deps: GatewayDeps) {
  const { logger, metrics } = deps;
  const app = new OpenAPIHono<Env>();

  const respond = (c: Context<Env>, problem: ProblemDetails, headers?: Record<string, string>) =>
    problemResponse(problem, { ...c.get("rateLimitHeaders"), ...headers });

  function errorResponse(c: Context<Env>, error: unknown): Response {
    const requestId = c.get("requestId");
    if (error instanceof UnavailableError) return respond(c, unavailableProblem(requestId));
    if (isDatabaseBusy(error)) {
      logger.warn({ requestId, route: c.get("route"), err: error }, "database busy");
      const busy = new AppError({ code: "SERVICE_BUSY", retryAfterSeconds: 1 });
      return respond(c, appErrorProblem(busy, requestId), { "retry-after": "1" });
    }
    if (error instanceof AppError) {
      const headers: Record<string, string> =
        error.data.code === "UNAUTHENTICATED" ? { "www-authenticate": 'Bearer realm="api"' } : {};
      return respond(c, appErrorProblem(error, requestId), headers);
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's own refusals (a body that is not JSON): what, not the library's text.
      return respond(c, malformedProblem(requestId, "The request body is not valid JSON"));
    }
    logger.error({ requestId, route: c.get("route"), err: error }, "gateway request failed");
    return respond(c, internalProblem(requestId));
  }

  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) => respond(c, routeNotFoundProblem(c.get("requestId") ?? randomUUID())));

  const ipPolicy: RateLimitPolicy = { name: "ip", limit: deps.ipRateLimit, windowSeconds: 60 };

  /** Per-IP limit for requests without a valid key; a refusal throws RATE_LIMITED. */
  async function limitByIp(c: Context<Env>) {
    const ip = c.get("ip") ?? "unknown";
    const result = await deps.limiter.consume(`ip:${ip}`, ipPolicy);
    c.set("rateLimitHeaders", rateLimitHeaders(result));
    if (!result.allowed) {
      metrics.rateLimited.inc({ policy: "ip" });
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: result.retryAfterSeconds });
    }
  }

  // ── The pipeline, up to the organization scope ──
  app.use(`${API_PREFIX}/*`, async (c: Context<Env>, next: Next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    c.set("started", started);
    c.set("ip", clientIp(c));
    c.set("route", null);
    c.set("metered", null);
    c.set("rateLimitHeaders", {});
    try {
      await authenticate(c);
    } catch (error) {
      c.res = errorResponse(c, error);
      return finish(c);
    }
    await next();
    return finish(c);
  });

  async function authenticate(c: Context<Env>) {
    if (PUBLIC_PATHS.has(c.req.path) || c.req.path.startsWith(`${API_PREFIX}/docs`)) {
      return limitByIp(c);
    }
    const match = BEARER.exec(c.req.header("authorization") ?? "");
    const verified = match?.[1] ? await verify(match[1], c) : null;
    if (!verified) {
      metrics.keyRefusals.inc();
      await limitByIp(c);
      throw new AppError({ code: "UNAUTHENTICATED" });
    }
    const base = createRequestScope({
      database: deps.database,
      product: deps.product,
      actor: {
        kind: "apiKey",
        key: {
          id: verified.id,
          organizationId: verified.organizationId,
          name: verified.name,
          scopes: verified.scopes,
        },
      },
      requestId: c.get("requestId"),
      ip: c.get("ip"),
      userAgent: c.req.header("user-agent") ?? null,
      logger,
      billing: deps.billing,
      ...(deps.organizations ? { organizationContexts: deps.organizations } : {}),
    });
    const context = await loadOrganizationContext(base, verified.organizationId);
    // Pure: entitlements from the cached state (writes check READ_ONLY per route).
    const scope = bindOrganizationContext(base, context, { write: false });
    c.set("metered", { scope, key: verified, units: 0, preCounted: false });
    const plan = scope.entitlements.rateLimits.api;
    const own = verified.rateLimit;
    const policy: RateLimitPolicy = {
      name: "api",
      limit: own?.requests ?? plan.requests,
      windowSeconds: own?.windowSeconds ?? plan.windowSeconds,
    };
    const result = await deps.limiter.consume(`key:${verified.id}`, policy);
    c.set("rateLimitHeaders", rateLimitHeaders(result));
    if (!result.allowed) {
      metrics.rateLimited.inc({ policy: "api" });
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: result.retryAfterSeconds });
    }
    requireFeature(scope, "api.access");
  }

  async function verify(bearer: string, c: Context<Env>): Promise<VerifiedApiKey | null> {
    let result: VerifyResult;
    try {
      result = await deps.verifier.verify(bearer);
    } catch (error) {
      // The key is not cached and the database cannot be read: not the client's fault.
      logger.error({ requestId: c.get("requestId"), err: error }, "api key lookup failed");
      throw new UnavailableError();
    }
    return result.ok ? result.key : null;
  }

  /** Headers on every answer, metrics, and the usage event. */
  function finish(c: Context<Env>) {
    const headers = c.res.headers;
    headers.set("x-request-id", c.get("requestId"));
    for (const [name, value] of Object.entries(c.get("rateLimitHeaders"))) headers.set(name, value);
    const route = c.get("route");
    const latencyMs = performance.now() - c.get("started");
    const label = route ?? "unmatched";
    metrics.requests.inc({ route: label, method: c.req.method, status: String(c.res.status) });
    metrics.latency.observe({ route: label, method: c.req.method }, latencyMs / 1000);
    const metered = c.get("metered");
    if (metered) {
      const quota = metered.scope.entitlements.quotas[API_METER];
      deps.meter.record({
        organizationId: metered.scope.organization.id,
        apiKeyId: metered.key.id,
        meter: metered.meter ?? API_METER,
        quantity: metered.units,
        preCounted: metered.preCounted,
        periodStart: metered.scope.entitlements.periodStart,
        route,
        method: c.req.method,
        status: c.res.status,
        latencyMs,
        // The plan's list price per unit; invoices bill from the counters (included first).
        costMicroCents: metered.costMicroCents ?? metered.units * (quota?.overageMicroCents ?? 0),
        ip: c.get("ip"),
      });
    }
    return c.res;
  }

  app.get(`${API_PREFIX}/health`, async (c) => {
    const database = await deps.ping().catch(() => false);
    return c.json(
      { status: database ? "ok" : "degraded", database: database ? "ok" : "unreachable" },
      database ? 200 : 503,
      { "cache-control": "no-store" },
    );
  });

  // Prometheus scrapes from the same host or through a sidecar: loopback clients only.
  app.get("/metrics", async (c) => {
    const ip = clientIp(c);
    if (ip !== "127.0.0.1" && ip !== "::1") return c.text("Not found", 404);
    return c.text(await metrics.registry.metrics(), 200, {
      "content-type": metrics.registry.contentType,
    });
  });

  for (const mount of deps.mounts ?? []) mount(app, { errorResponse });
  for (const route of deps.routes) register(route);

  function register(route: HttpRoute) {
    const template = `${API_PREFIX}${route.path}`;
    const request: NonNullable<RouteConfig["request"]> = {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body
        ? { body: { content: { "application/json": { schema: route.body } }, required: true } }
        : {}),
    };
    const config = createRoute({
      method: route.method.toLowerCase() as Lowercase<HttpRoute["method"]>,
      path: template,
      summary: route.summary,
      description: `Needs an API key with the \`${route.apiScope}\` scope.`,
      security: [{ apiKey: [] }],
      request,
      responses: {
        [route.successStatus]: {
          description: route.summary,
          content: { [route.contentType ?? "application/json"]: { schema: route.response } },
        },
      },
    });
    // Documented from the route's schemas; validated below with the same ones.
    app.openAPIRegistry.registerPath(config);
    app.on(route.method, honoPath(template), async (c) => {
      c.set("route", template);
      const metered = c.get("metered");
      if (!metered) throw new AppError({ code: "UNAUTHENTICATED" });
      const { scope, key } = metered;
      if (!key.scopes.includes(route.apiScope)) {
        throw new AppError({ code: "INSUFFICIENT_SCOPE", requiredScope: route.apiScope });
      }
      if (route.write) requireWritable(scope);

      const requestId = c.get("requestId");
      const input: { params: unknown; query: unknown; body: unknown } = {
        params: undefined,
        query: undefined,
        body: undefined,
      };
      for (const [part, schema, read] of [
        ["params", route.params, () => Promise.resolve(c.req.param())],
        ["query", route.query, () => Promise.resolve(c.req.query())],
        ["body", route.body, () => readJson(c)],
      ] as const) {
        if (!schema) continue;
        const parsed = schema.safeParse(await read());
        if (!parsed.success) return respond(c, validationProblem(parsed.error, requestId, part));
        input[part] = parsed.data;
      }

      const idempotencyKey = route.method === "POST" ? c.req.header("idempotency-key") : undefined;
      if (idempotencyKey !== undefined) {
        const parsed = idempotencyKeyHeader.safeParse(idempotencyKey);
        if (!parsed.success) {
          return respond(c, validationProblem(parsed.error, c.get("requestId"), "Idempotency-Key"));
        }
        const fingerprint = requestFingerprint(route.method, c.req.path, await c.req.text());
        const claim = await claimIdempotencyKey(scope, parsed.data, fingerprint);
        if (claim.kind === "replay") {
          return new Response(JSON.stringify(claim.body), {
            status: claim.status,
            headers: {
              "content-type": claim.status < 400 ? "application/json" : "application/problem+json",
              "idempotent-replayed": "true",
            },
          });
        }
        const answer = await run(c, route, scope, metered, input);
        const body: unknown = await answer.clone().json();
        await completeIdempotencyKey(scope, parsed.data, { status: answer.status, body });
        return answer;
      }
      return run(c, route, scope, metered, input);
    });
  }

  /** "/api/v1/projects/{id}" → Hono's "/api/v1/projects/:id". */
  function honoPath(template: string): string {
    return template.replace(/\{(\w+)\}/g, ":$1");
  }

  /** The body as JSON; not JSON → a malformed-request problem (via HTTPException). */
  async function readJson(c: Context<Env>): Promise<unknown> {
    const text = await c.req.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HTTPException(400, { message: "malformed JSON" });
    }
  }

  /** Quota, then the handler; refusals inside become answers (so they can be stored). */
  async function run(
    c: Context<Env>,
    route: HttpRoute,
    scope: OrgScope,
    metered: Metered,
    input: { params: unknown; query: unknown; body: unknown },
  ): Promise<Response> {
    try {
      const quota = scope.entitlements.quotas[API_METER];
      const capped = quota && quota.included !== null && quota.overageMicroCents === undefined;
      if (capped) {
        // Atomic against the period counter: never above the cap, whatever the instances.
        await consumeQuota(scope, API_METER, 1);
        metered.preCounted = true;
      }
      metered.units = 1;
      const result = await route.handle(scope, input);
      const body: unknown = route.response.parse(result);
      if (route.contentType && typeof body === "string") {
        return new Response(body, {
          status: route.successStatus,
          headers: {
            "content-type": `${route.contentType}; charset=utf-8`,
            "cache-control": "no-store",
          },
        });
      }
      return new Response(JSON.stringify(body), {
        status: route.successStatus,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      });
    } catch (error) {
      return errorResponse(c, error);
    }
  }

  app.doc31(`${API_PREFIX}/openapi.json`, {
    openapi: "3.1.0",
    info: { title: `${deps.product.name} API`, version: "1" },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: plk_live_… or plk_test_…",
  });

  return app;
}

/** The key could not be checked (database down, key not cached): 503. */
class UnavailableError extends Error {}

export type GatewayApp = ReturnType<typeof createGatewayApp>;
