// The API catalog's gateway extension: proxies /api/v1/<product>/<path> to the product's
// upstream. Per call, after the gateway's key, rate-limit and organization steps:
//   match (in-memory catalog; private products only for their organizations) → `apis:call`
//   scope → the endpoint's own rate limit → writes refused while read-only → a capped plan's
//   `api.units` quota → the upstream's circuit breaker → request size limit → forward over a
//   keep-alive pool per upstream origin (undici Pool) with the product's upstream secret
//   instead of the buyer's key, X-Request-Id and X-Forwarded-For, hop-by-hop headers
//   stripped, timeouts → response size limit → units (1 per call, or the upstream's units
//   header) and cost for the meter.
// The answer's body is the upstream's own stream when its length is declared (and within the
// limit): the gateway pipes it to the buyer without reading it here. An undeclared length
// (chunked) is read up to the limit first, so an answer over it is still a clean 502.
// The catalog reloads on the tables' NOTIFY (and after a reconnect), so a change made in the
// operator console is served within a second, without restart.
import type { Readable } from "node:stream";
import { Pool, errors as undiciErrors, type Dispatcher } from "undici";
import { consumeQuota, planRefusal, requireWritable } from "@plinth/billing/gating";
import { AppError } from "@plinth/core/errors";
import {
  GatewayProblem,
  type GatewayAnswer,
  type GatewayCall,
  type GatewayExtension,
  type GatewayExtensionContext,
  type GatewayMatch,
  type GatewayRequest,
} from "@plinth/platform/http";
import { catalogOpenApiPaths } from "../openapi.ts";
import { Breakers, type BreakerOptions } from "./breaker.ts";
import { downstreamResponseHeaders, upstreamRequestHeaders } from "./headers.ts";
import {
  API_UNITS_METER,
  loadSnapshot,
  visibleTo,
  type CatalogEndpoint,
  type CatalogProductEntry,
  type CatalogSnapshot,
} from "./snapshot.ts";

export { API_UNITS_METER } from "./snapshot.ts";
export const CATALOG_CHANNEL = "api_catalog_changed";
export const CALL_SCOPE = "apis:call";

export interface CatalogProxyOptions {
  apiPrefix?: string;
  /** Until the upstream's response headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Between body chunks (default 30 s). */
  bodyTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Request body limit (default 1 MiB): 413 beyond. */
  maxRequestBytes?: number;
  /** Response body limit (default 10 MiB): 502 beyond. */
  maxResponseBytes?: number;
  /** Connections per upstream origin (default 128). */
  connections?: number;
  breaker?: BreakerOptions;
  /** Debounce of reloads after a NOTIFY (default 20 ms). */
  reloadDelayMs?: number;
  now?: () => Date;
}

interface CatalogMatch extends GatewayMatch {
  product: CatalogProductEntry;
  endpoint: CatalogEndpoint;
  values: readonly string[];
}

class TooLarge extends Error {}

/** Reads a body up to `max` bytes (TooLarge beyond). */
async function readLimited(
  body: AsyncIterable<Uint8Array> | null | undefined,
  max: number,
  onTooLarge?: () => void,
): Promise<Buffer<ArrayBuffer>> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      onTooLarge?.();
      throw new TooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const TIMEOUTS = [
  undiciErrors.HeadersTimeoutError,
  undiciErrors.BodyTimeoutError,
  undiciErrors.ConnectTimeoutError,
];

export function createCatalogExtension(options: CatalogProxyOptions = {}) {
  const prefix = options.apiPrefix ?? "/api/v1";
  const maxRequestBytes = options.maxRequestBytes ?? 1_048_576;
  const maxResponseBytes = options.maxResponseBytes ?? 10_485_760;
  const now = options.now ?? (() => new Date());

  return (
    context: GatewayExtensionContext,
  ): GatewayExtension & {
    reload(): Promise<void>;
    breakers: Breakers;
    snapshot(): CatalogSnapshot;
  } => {
    const { logger } = context;
    const poolOptions: Pool.Options = {
      connections: options.connections ?? 128,
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      bodyTimeout: options.bodyTimeoutMs ?? 30_000,
      connect: { timeout: options.connectTimeoutMs ?? 5_000 },
    };
    // One keep-alive pool per upstream origin, called directly (no Agent lookup per call).
    const pools = new Map<string, Pool>();
    function poolFor(origin: string): Pool {
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin, poolOptions);
        pools.set(origin, pool);
      }
      return pool;
    }
    /** Closes the pools of origins no product uses any more (after a reload). */
    function closeUnusedPools(current: CatalogSnapshot) {
      const origins = new Set([...current.products.values()].map((entry) => entry.origin));
      for (const [origin, pool] of pools) {
        if (origins.has(origin)) continue;
        pools.delete(origin);
        pool.close().catch((err: unknown) => logger.warn({ err, origin }, "upstream pool close"));
      }
    }
    const breakers = new Breakers(options.breaker);
    let snapshot: CatalogSnapshot = { products: new Map(), loadedAt: new Date(0) };
    let spec: Record<string, Record<string, unknown>> = {};

    async function reload() {
      const next = await loadSnapshot(context.db, prefix, (productId, err) =>
        logger.error({ productId, err }, "api catalog: upstream secret cannot be opened"),
      );
      snapshot = next;
      spec = catalogOpenApiPaths(next, now());
      closeUnusedPools(next);
    }

    let timer: NodeJS.Timeout | null = null;
    let reloading: Promise<void> = Promise.resolve();
    function scheduleReload() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        reloading = reloading.then(reload).catch((err: unknown) => {
          logger.warn({ err }, "api catalog reload failed: retrying");
          scheduleReload();
        });
      }, options.reloadDelayMs ?? 20);
    }
    const offChange = context.listener.subscribe(CATALOG_CHANNEL, scheduleReload);
    const offReconnect = context.listener.onReconnect(scheduleReload);
    const first = reload();

    function match(method: string, path: string, organizationId: string): CatalogMatch | null {
      if (!path.startsWith(`${prefix}/`)) return null;
      const rest = path.slice(prefix.length + 1);
      const slash = rest.indexOf("/");
      if (slash <= 0) return null;
      const product = snapshot.products.get(rest.slice(0, slash));
      if (!product || !visibleTo(product, organizationId, now())) return null;
      const tail = rest.slice(slash);
      for (const endpoint of product.endpoints) {
        if (endpoint.method !== method) continue;
        const found = endpoint.pattern.exec(tail);
        if (found) {
          return {
            route: endpoint.route,
            meter: API_UNITS_METER,
            product,
            endpoint,
            values: found.slice(1),
          };
        }
      }
      return null;
    }

    async function handle(
      found: GatewayMatch,
      request: GatewayRequest,
      call: GatewayCall,
    ): Promise<GatewayAnswer> {
      const { product, endpoint, values } = found as CatalogMatch;
      const { scope } = call;
      // Path parameters: decoded, checked, re-encoded for the upstream (a bad one is the
      // caller's 400 — never a request the upstream or its breaker would see).
      const params = values.map(pathParameter);
      if (!call.apiKeyScopes.includes(CALL_SCOPE)) {
        throw new AppError({ code: "INSUFFICIENT_SCOPE", requiredScope: CALL_SCOPE });
      }
      let rateHeaders: Record<string, string> = {};
      if (endpoint.rateLimitPerMinute !== null) {
        const limited = await context.rateLimit(`api-endpoint:${endpoint.id}:${call.apiKeyId}`, {
          name: "endpoint",
          limit: endpoint.rateLimitPerMinute,
          windowSeconds: 60,
        });
        rateHeaders = limited.headers;
        if (!limited.allowed) {
          throw new AppError({
            code: "RATE_LIMITED",
            retryAfterSeconds: limited.retryAfterSeconds,
          });
        }
      }
      if (endpoint.method !== "GET") requireWritable(scope);

      let preCounted = false;
      const quota = scope.entitlements.quotas[API_UNITS_METER];
      const capped = quota && quota.included !== null && quota.overageMicroCents === undefined;
      if (capped && endpoint.unitsRule === "PER_CALL") {
        // Exact: checked and added on the period counter atomically (any number of gateways).
        await consumeQuota(scope, API_UNITS_METER, 1);
        preCounted = true;
      } else if (capped && quota.included !== null) {
        // Units known only after the call: refuse once the period's count reached the cap
        // (a header-priced call may end the period a little above it).
        const counter = await scope.db.client.usageCounter.findUnique({
          where: {
            organizationId_meter_periodStart: {
              organizationId: scope.organization.id,
              meter: API_UNITS_METER,
              periodStart: scope.entitlements.periodStart,
            },
          },
          select: { quantity: true },
        });
        const used = Number(counter?.quantity ?? 0);
        if (used >= quota.included) {
          throw planRefusal(scope, {
            kind: "quota",
            meter: API_UNITS_METER,
            used,
            included: quota.included,
          });
        }
      }

      const breaker = breakers.for(product.origin);
      const permit = breaker.acquire();
      if (!permit.allowed) {
        throw new GatewayProblem(
          503,
          "UPSTREAM_UNAVAILABLE",
          "Upstream unavailable",
          `${product.name} is not answering; try again in ${permit.retryAfterSeconds} s`,
          permit.retryAfterSeconds,
        );
      }

      let settled = false;
      const fail = () => {
        if (!settled) breaker.failure();
        settled = true;
      };
      const succeed = () => {
        if (!settled) breaker.success();
        settled = true;
      };
      try {
        const declared = Number(firstValue(request.headers["content-length"]) ?? "0");
        if (declared > maxRequestBytes) throw new TooLarge();
        const hasBody = endpoint.method !== "GET" && endpoint.method !== "DELETE";
        const body = hasBody ? await readLimited(request.body, maxRequestBytes) : null;

        let upstreamPath = endpoint.upstreamPath;
        endpoint.params.forEach((name, index) => {
          upstreamPath = upstreamPath.replace(`{${name}}`, encodeURIComponent(params[index] ?? ""));
        });
        const query = request.query ? `?${request.query}` : "";
        const extra: Record<string, string> = {
          "x-request-id": call.requestId,
          "x-plinth-organization": scope.organization.id,
        };
        if (call.ip) extra["x-forwarded-for"] = call.ip;
        if (product.secret) {
          const secret = product.secret.reveal();
          extra[product.authHeader] =
            product.authHeader === "authorization" ? `Bearer ${secret}` : secret;
        }
        let upstream: Dispatcher.ResponseData;
        try {
          upstream = await poolFor(product.origin).request({
            path: `${product.basePath}${upstreamPath}${query}`,
            method: endpoint.method,
            headers: upstreamRequestHeaders(request.headers, extra),
            body,
          });
        } catch (error) {
          if (error instanceof undiciErrors.InvalidArgumentError) {
            settled = true; // our request was refused before it left: not the upstream's fault
            if (permit.probe) breaker.failure();
            throw new GatewayProblem(
              400,
              "INVALID_REQUEST",
              "Invalid request",
              "The request cannot be forwarded",
            );
          }
          fail();
          throw upstreamError(error, product);
        }
        const status = upstream.statusCode;
        const failed = status >= 500;
        const length = declaredLength(upstream.headers["content-length"]);
        if (length !== null && length > maxResponseBytes) {
          discard(upstream.body);
          succeed(); // the upstream answered: a limit of ours, not its failure
          throw responseTooLarge(maxResponseBytes);
        }
        const noBody = status === 204 || status === 304 || request.method === "HEAD";
        let payload: Uint8Array<ArrayBuffer> | Readable | null = null;
        if (noBody) {
          // Read to its end (it is empty, or small) so the connection is kept.
          upstream.body.dump().catch(() => undefined);
        } else if (length !== null) {
          // Declared and within the limit: streamed through as it arrives.
          payload = upstream.body;
          upstream.body.once("error", (error) => {
            // Cut mid-body (reset, body timeout): the upstream's failure. A stream we destroy
            // ourselves (the buyer went away) is none.
            if (!(error instanceof undiciErrors.RequestAbortedError)) breaker.failure();
          });
        } else {
          try {
            payload = await readLimited(upstream.body, maxResponseBytes, () =>
              discard(upstream.body),
            );
          } catch (error) {
            if (error instanceof TooLarge) {
              succeed();
              throw responseTooLarge(maxResponseBytes);
            }
            fail();
            throw upstreamError(error, product);
          }
        }
        if (failed) fail();
        else succeed();

        const headers = downstreamResponseHeaders(upstream.headers);
        if (payload !== null && !(payload instanceof Uint8Array)) {
          headers["content-length"] = String(length);
        }
        // Lowercase, as every other answer header (a name set twice stays one header).
        for (const [name, value] of Object.entries(rateHeaders))
          headers[name.toLowerCase()] = value;
        if (endpoint.deprecated) {
          headers.deprecation = "true";
          if (product.sunsetAt) headers.sunset = product.sunsetAt.toUTCString();
        }
        const units = failed ? 0 : unitsOf(endpoint, upstream.headers);
        const costMicroCents = failed
          ? 0
          : endpoint.pricePerCallMicroCents + units * endpoint.pricePerUnitMicroCents;
        return {
          response: { status, headers, body: payload },
          units,
          costMicroCents,
          preCounted,
        };
      } catch (error) {
        if (error instanceof TooLarge) {
          settled = true;
          throw new GatewayProblem(
            413,
            "REQUEST_TOO_LARGE",
            "Request too large",
            `The request body is larger than ${maxRequestBytes} bytes`,
          );
        }
        if (!settled) {
          // Neither answered nor failed: the probe slot must not stay taken.
          if (permit.probe) breaker.failure();
        }
        throw error;
      }
    }

    return {
      match,
      handle,
      openapiPaths: () => spec,
      ready: () => first,
      reload,
      breakers,
      snapshot: () => snapshot,
      async close() {
        offChange();
        offReconnect();
        if (timer) clearTimeout(timer);
        await reloading.catch(() => undefined);
        await Promise.all([...pools.values()].map((pool) => pool.close()));
        pools.clear();
      },
    };
  };
}

/** Drops an upstream body we will not forward (its abort is nobody's failure). */
function discard(body: Readable) {
  body.once("error", () => undefined);
  body.destroy();
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An upstream's Content-Length as a byte count; null when absent or not a plain number. */
function declaredLength(value: string | string[] | undefined): number | null {
  const text = firstValue(value);
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function responseTooLarge(maxResponseBytes: number): GatewayProblem {
  return new GatewayProblem(
    502,
    "UPSTREAM_RESPONSE_TOO_LARGE",
    "Upstream response too large",
    `The answer is larger than ${maxResponseBytes} bytes`,
  );
}

const MAX_PARAMETER_LENGTH = 1_024;
/** C0 controls and DEL: never in a forwarded path. */
const hasControl = (value: string) =>
  [...value].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

function pathParameter(raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    value = "\u0000";
  }
  if (value.length > MAX_PARAMETER_LENGTH || hasControl(value) || value === "." || value === "..") {
    throw new GatewayProblem(
      400,
      "INVALID_PATH_PARAMETER",
      "Invalid path parameter",
      `Path parameters are text of at most ${MAX_PARAMETER_LENGTH} characters`,
    );
  }
  return value;
}

function unitsOf(
  endpoint: CatalogEndpoint,
  headers: Record<string, string | string[] | undefined>,
) {
  if (endpoint.unitsRule === "PER_CALL" || !endpoint.unitsHeader) return 1;
  const raw = headers[endpoint.unitsHeader];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  // A missing or malformed header counts the call as one unit (never free by accident).
  return Number.isSafeInteger(value) && value >= 0 && value <= 2_147_483_647 ? value : 1;
}

function upstreamError(error: unknown, product: CatalogProductEntry): GatewayProblem {
  if (TIMEOUTS.some((type) => error instanceof type)) {
    return new GatewayProblem(
      504,
      "UPSTREAM_TIMEOUT",
      "Upstream timeout",
      `${product.name} did not answer in time`,
    );
  }
  return new GatewayProblem(
    502,
    "UPSTREAM_FAILED",
    "Bad gateway",
    `${product.name} could not be reached`,
  );
}

export type CatalogExtension = ReturnType<ReturnType<typeof createCatalogExtension>>;
