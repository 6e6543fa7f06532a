// The gateway's pipeline as plain functions, shared by both ways a request is served: the
// Hono app (./app.ts: every request the fast path does not take) and the node:http fast path
// (./fast-path.ts: authenticated GETs of module routes and catalog endpoints). One
// implementation of the rules — key, rate limit, organization, scope, quota, handler,
// refusals as problem+json, request id, metrics, metering — so both paths answer alike.
import { isIP } from "node:net";
import { randomUUID } from "node:crypto";
import type { VerifiedApiKey, VerifyResult } from "@plinth/api-keys";
import { consumeQuota, requireFeature, requireWritable } from "@plinth/billing/gating";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { AppError } from "@plinth/core/errors";
import type { Logger } from "@plinth/core/logger";
import type { Database } from "@plinth/db";
import { isDatabaseBusy } from "@plinth/db/errors";
import type { UsageEvent } from "@plinth/metering";
import {
  bindOrganizationContext,
  createRequestScope,
  loadOrganizationContext,
  type OrganizationContextCache,
  type OrgScope,
  type ProductRuntime,
} from "@plinth/platform";
import type { HttpRoute } from "@plinth/platform/http";
import { rateLimitHeaders, type RateLimiter, type RateLimitPolicy } from "@plinth/rate-limit";
import type { GatewayMetrics } from "./metrics.ts";
import {
  appErrorProblem,
  internalProblem,
  malformedProblem,
  unavailableProblem,
  validationProblem,
  type ProblemDetails,
} from "./problem.ts";

export const API_PREFIX = "/api/v1";
/** Every API request counts one unit of this meter (declared by core). */
export const API_METER = "api.requests";
/** Answered without a key (per-IP limit only). */
export const PUBLIC_PATHS = new Set([`${API_PREFIX}/health`, `${API_PREFIX}/openapi.json`]);
export const DOCS_PREFIX = `${API_PREFIX}/docs`;
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i;
const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface GatewayPipelineDeps {
  database: Database;
  product: ProductRuntime;
  verifier: { verify(bearer: string): Promise<VerifyResult> };
  limiter: RateLimiter;
  /** The metering writer: events built here from typed values, bounds checked without zod. */
  meter: { recordTyped(event: UsageEvent): boolean };
  /** What binding reads, per organization (packages/platform); none: read per request. */
  organizations: OrganizationContextCache | null;
  billing: () => BillingRuntime;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Requests per minute per client IP without a valid key. */
  ipRateLimit: number;
}

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

/** One request as the pipeline sees it, whichever path serves it. */
export interface RequestState {
  readonly requestId: string;
  readonly started: number;
  readonly method: string;
  readonly ip: string | null;
  /** The route template ("/api/v1/projects/{id}"), set by the matched route. */
  route: string | null;
  metered: Metered | null;
  rateLimitHeaders: Record<string, string>;
  /** A streamed answer's end (an extension's long body on the Hono app): metered then. */
  streamed: Promise<StreamOutcome> | null;
}

/** How a streamed answer ended: all of it sent, its upstream failed mid-way, the client left. */
export type StreamOutcome = "sent" | "upstream-failed" | "client-gone";

/** An answer before it is written: status, headers as a plain object, the body. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer> | null;
}

export interface RouteInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** A socket address as the client's IP ("::ffff:1.2.3.4" → "1.2.3.4"); null if none. */
export function normalizeIp(address: string | undefined): string | null {
  if (!address) return null;
  const plain = address.startsWith("::ffff:") ? address.slice(7) : address;
  return isIP(plain) ? plain : null;
}

/** The key in an Authorization header ("Bearer …"), or null. */
export function bearerOf(authorization: string | undefined): string | null {
  return BEARER.exec(authorization ?? "")?.[1] ?? null;
}

/** Answered without a key: health, the OpenAPI document, the API reference. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) || path.startsWith(DOCS_PREFIX);
}

/**
 * Header names as the answer's plain object keeps them: lowercase, so a name set twice
 * ("Retry-After" by the limiter, "retry-after" by a refusal) is one header, as in Headers.
 */
function lowercaseNames(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const name in headers) lower[name.toLowerCase()] = headers[name] ?? "";
  return lower;
}

/** The key could not be checked (database down, key not cached): 503. */
export class UnavailableError extends Error {}

export function problemAnswer(problem: ProblemDetails, headers: Record<string, string> = {}) {
  return {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
    body: JSON.stringify(problem),
  } satisfies Answer;
}

export function createGatewayPipeline(deps: GatewayPipelineDeps) {
  const { logger, metrics } = deps;
  const ipPolicy: RateLimitPolicy = { name: "ip", limit: deps.ipRateLimit, windowSeconds: 60 };

  function start(method: string, incomingRequestId: string | undefined, ip: string | null) {
    const started = performance.now();
    const requestId =
      incomingRequestId && REQUEST_ID.test(incomingRequestId) ? incomingRequestId : randomUUID();
    return {
      requestId,
      started,
      method,
      ip,
      route: null,
      metered: null,
      rateLimitHeaders: {},
      streamed: null,
    } satisfies RequestState as RequestState;
  }

  /** A refusal answered with this request's rate-limit headers. */
  function refusal(state: RequestState, problem: ProblemDetails, headers?: Record<string, string>) {
    return problemAnswer(problem, { ...state.rateLimitHeaders, ...headers });
  }

  /** Any error as its problem+json answer (unexpected ones logged, answered as a plain 500). */
  function errorAnswer(state: RequestState, error: unknown): Answer {
    const { requestId } = state;
    if (error instanceof UnavailableError) return refusal(state, unavailableProblem(requestId));
    if (isDatabaseBusy(error)) {
      logger.warn({ requestId, route: state.route, err: error }, "database busy");
      const busy = new AppError({ code: "SERVICE_BUSY", retryAfterSeconds: 1 });
      return refusal(state, appErrorProblem(busy, requestId), { "retry-after": "1" });
    }
    if (error instanceof AppError) {
      const headers: Record<string, string> =
        error.data.code === "UNAUTHENTICATED" ? { "www-authenticate": 'Bearer realm="api"' } : {};
      return refusal(state, appErrorProblem(error, requestId), headers);
    }
    if (error instanceof MalformedBody) {
      return refusal(state, malformedProblem(requestId, "The request body is not valid JSON"));
    }
    logger.error({ requestId, route: state.route, err: error }, "gateway request failed");
    return refusal(state, internalProblem(requestId));
  }

  /** Per-IP limit for requests without a valid key; a refusal throws RATE_LIMITED. */
  async function limitByIp(state: RequestState) {
    const result = await deps.limiter.consume(`ip:${state.ip ?? "unknown"}`, ipPolicy);
    state.rateLimitHeaders = lowercaseNames(rateLimitHeaders(result));
    if (!result.allowed) {
      metrics.rateLimited.inc({ policy: "ip" });
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: result.retryAfterSeconds });
    }
  }

  /** The key's record, null for an unknown, revoked, expired or malformed key. */
  async function verify(state: RequestState, bearer: string): Promise<VerifiedApiKey | null> {
    let result: VerifyResult;
    try {
      result = await deps.verifier.verify(bearer);
    } catch (error) {
      // The key is not cached and the database cannot be read: not the client's fault.
      logger.error({ requestId: state.requestId, err: error }, "api key lookup failed");
      throw new UnavailableError();
    }
    return result.ok ? result.key : null;
  }

  /** No valid key: the per-IP limit, then the 401 (both throw). */
  async function refuseKey(state: RequestState): Promise<never> {
    metrics.keyRefusals.inc();
    await limitByIp(state);
    throw new AppError({ code: "UNAUTHENTICATED" });
  }

  /**
   * A verified key's organization scope, then its rate limit and API access (refusals throw);
   * sets `state.metered`.
   */
  async function admitKey(
    state: RequestState,
    verified: VerifiedApiKey,
    userAgent: string | null,
  ): Promise<Metered> {
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
      requestId: state.requestId,
      ip: state.ip,
      userAgent,
      logger,
      billing: deps.billing,
      ...(deps.organizations ? { organizationContexts: deps.organizations } : {}),
    });
    const context = await loadOrganizationContext(base, verified.organizationId);
    // Pure: entitlements from the cached state (writes check READ_ONLY per route).
    const scope = bindOrganizationContext(base, context, { write: false });
    const metered: Metered = { scope, key: verified, units: 0, preCounted: false };
    state.metered = metered;
    const plan = scope.entitlements.rateLimits.api;
    const own = verified.rateLimit;
    const policy: RateLimitPolicy = {
      name: "api",
      limit: own?.requests ?? plan.requests,
      windowSeconds: own?.windowSeconds ?? plan.windowSeconds,
    };
    const result = await deps.limiter.consume(`key:${verified.id}`, policy);
    state.rateLimitHeaders = lowercaseNames(rateLimitHeaders(result));
    if (!result.allowed) {
      metrics.rateLimited.inc({ policy: "api" });
      throw new AppError({ code: "RATE_LIMITED", retryAfterSeconds: result.retryAfterSeconds });
    }
    requireFeature(scope, "api.access");
    return metered;
  }

  /** The whole authentication step for a request (public paths: the per-IP limit only). */
  async function authenticate(
    state: RequestState,
    path: string,
    authorization: string | undefined,
    userAgent: string | null,
  ): Promise<void> {
    if (isPublicPath(path)) return limitByIp(state);
    const bearer = bearerOf(authorization);
    const verified = bearer ? await verify(state, bearer) : null;
    if (!verified) return refuseKey(state);
    await admitKey(state, verified, userAgent);
  }

  /** The route's API scope and the read-only rule (refusals throw). */
  function authorizeRoute(state: RequestState, route: HttpRoute): Metered {
    state.route = `${API_PREFIX}${route.path}`;
    const metered = state.metered;
    if (!metered) throw new AppError({ code: "UNAUTHENTICATED" });
    if (!metered.key.scopes.includes(route.apiScope)) {
      throw new AppError({ code: "INSUFFICIENT_SCOPE", requiredScope: route.apiScope });
    }
    if (route.write) requireWritable(metered.scope);
    return metered;
  }

  /** A part of the input through its schema: the parsed value, or the 400 answer. */
  function parsePart(
    state: RequestState,
    part: "params" | "query" | "body",
    schema: HttpRoute["params"] | HttpRoute["body"],
    raw: unknown,
  ): { ok: true; value: unknown } | { ok: false; answer: Answer } {
    if (!schema) return { ok: true, value: undefined };
    const parsed = schema.safeParse(raw);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : {
          ok: false,
          answer: refusal(state, validationProblem(parsed.error, state.requestId, part)),
        };
  }

  /** Quota, then the handler; refusals inside become answers (so they can be stored). */
  async function runRoute(
    state: RequestState,
    route: HttpRoute,
    metered: Metered,
    input: RouteInput,
  ): Promise<Answer> {
    try {
      const { scope } = metered;
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
        return {
          status: route.successStatus,
          headers: {
            "content-type": `${route.contentType}; charset=utf-8`,
            "cache-control": "no-store",
          },
          body,
        };
      }
      return {
        status: route.successStatus,
        headers: { "content-type": "application/json", "cache-control": "no-store" },
        body: JSON.stringify(body),
      };
    } catch (error) {
      return errorAnswer(state, error);
    }
  }

  /** Headers every answer carries: the request id and the rate limit's. */
  function closingHeaders(state: RequestState): Record<string, string> {
    return { "x-request-id": state.requestId, ...state.rateLimitHeaders };
  }

  /** Metrics and the usage event of an answered request. */
  function record(state: RequestState, status: number) {
    const { route, method, metered } = state;
    const latencyMs = performance.now() - state.started;
    const label = route ?? "unmatched";
    metrics.requests.inc({ route: label, method, status: String(status) });
    metrics.latency.observe({ route: label, method }, latencyMs / 1000);
    if (!metered) return;
    const quota = metered.scope.entitlements.quotas[API_METER];
    deps.meter.recordTyped({
      organizationId: metered.scope.organization.id,
      apiKeyId: metered.key.id,
      meter: metered.meter ?? API_METER,
      quantity: metered.units,
      preCounted: metered.preCounted,
      periodStart: metered.scope.entitlements.periodStart,
      route,
      method,
      status,
      latencyMs,
      // The plan's list price per unit; invoices bill from the counters (included first).
      costMicroCents: metered.costMicroCents ?? metered.units * (quota?.overageMicroCents ?? 0),
      ip: state.ip,
    });
  }

  /**
   * The usage event of a streamed answer once it has ended: cut by its upstream after the head
   * was sent, it is a 502 billed nothing — what a cut before the head is billed.
   */
  function recordStreamed(state: RequestState, status: number, outcome: StreamOutcome) {
    if (outcome !== "upstream-failed") return record(state, status);
    if (state.metered) {
      state.metered.units = 0;
      state.metered.costMicroCents = 0;
    }
    record(state, 502);
  }

  return {
    start,
    authenticate,
    verify,
    refuseKey,
    admitKey,
    authorizeRoute,
    parsePart,
    runRoute,
    errorAnswer,
    refusal,
    closingHeaders,
    record,
    recordStreamed,
  };
}

export type GatewayPipeline = ReturnType<typeof createGatewayPipeline>;

/** A request body that is not JSON (answered as a malformed-request problem). */
export class MalformedBody extends Error {}
