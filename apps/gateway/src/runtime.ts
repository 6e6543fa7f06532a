// One gateway process's parts, built from a database and options (main.ts from the
// environment; tests with their own database): the key verifier with its NOTIFY listener and
// last-used batcher, the rate limiter (Redis when given, memory otherwise), the metering
// writer, the organization cache, metrics, and the Hono app. `close()` is the graceful end:
// the caller stops accepting connections first, then this drains the writer and writes the
// last-used times.
import { Redis } from "ioredis";
import { createApiKeyRuntime } from "@plinth/api-keys";
import { billingRuntimeFromEnv, type BillingRuntime } from "@plinth/billing/stripe/client";
import type { Logger } from "@plinth/core/logger";
import { systemClient, systemPool, type Database } from "@plinth/db";
import { createNotificationListener } from "@plinth/db/notifications";
import { createMeteringWriter } from "@plinth/metering";
import { listeningOrganizationContextCache, type ProductRuntime } from "@plinth/platform";
import type { GatewayExtensionFactory, HttpRoutes } from "@plinth/platform/http";
import {
  createMemoryStore,
  createRateLimiter,
  createRedisStore,
  rateLimitHeaders,
  type RateLimitStore,
} from "@plinth/rate-limit";
import { getRequestListener } from "@hono/node-server";
import type { RequestListener } from "node:http";
import { createGatewayApp } from "./app.ts";
import { docsMount, extensionMount, openApiMergeMount } from "./extensions.ts";
import { createFastPath } from "./fast-path.ts";
import { createGatewayMetrics } from "./metrics.ts";
import { createGatewayPipeline } from "./pipeline.ts";

export interface GatewayRuntimeOptions {
  database: Database;
  databaseUrl: string;
  product: ProductRuntime;
  routes: HttpRoutes;
  logger: Logger;
  redisUrl?: string | undefined;
  ipRateLimit?: number;
  /**
   * How long an organization's state is reused while the NOTIFY listener is down (default
   * 1 s); while it is up, until a change is heard. 0: no cache at all (tests that change plans
   * and call at once).
   */
  organizationCacheMs?: number;
  billing?: BillingRuntime;
  /** Metering flush interval (default 250 ms). */
  flushIntervalMs?: number;
  /** Last-used batch interval (default 5 s). */
  lastUsedIntervalMs?: number;
  /** Modules' gateway extensions (@plinth/product/http's productGatewayExtensions). */
  extensions?: readonly GatewayExtensionFactory[];
  /**
   * Serve authenticated GETs on the node:http fast path (./fast-path.ts; default true).
   * false: every request through the Hono app (the benches' baseline, BENCH_HONO=1).
   */
  fastPath?: boolean;
}

export async function createGatewayRuntime(options: GatewayRuntimeOptions) {
  const { logger } = options;
  // Keys are looked up before any tenant is known; a metering batch spans organizations.
  const system = systemClient(options.database, "gateway: key lookup, usage batches");
  const listener = createNotificationListener({
    connectionString: options.databaseUrl,
    applicationName: "plinth-gateway",
    onError: (err) => logger.warn({ err }, "api key listener"),
  });
  const keys = createApiKeyRuntime({
    db: system,
    listener,
    ...(options.lastUsedIntervalMs ? { lastUsedIntervalMs: options.lastUsedIntervalMs } : {}),
    onError: (err) => logger.warn({ err }, "api key runtime"),
  });
  const organizationCacheMs = options.organizationCacheMs ?? 1_000;
  const organizations =
    organizationCacheMs > 0
      ? listeningOrganizationContextCache(listener, { unlistenedTtlMs: organizationCacheMs })
      : null;
  // Listening (it connects on the first subscription) before the first request is answered.
  await listener.ready();
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : null;
  const memory = createMemoryStore();
  const store: RateLimitStore = redis ? createRedisStore({ redis }) : memory;
  const limiter = createRateLimiter({
    store,
    fallback: memory,
    onStoreError: (err) => logger.warn({ err }, "rate limit store failed: memory fallback"),
  });
  const writer = createMeteringWriter({
    db: system,
    pool: systemPool(options.database, "gateway: usage batches across tenants (one statement)"),
    ...(options.flushIntervalMs ? { flushIntervalMs: options.flushIntervalMs } : {}),
    onError: (err) => logger.warn({ err }, "usage flush failed (will retry)"),
  });
  const metrics = createGatewayMetrics({ metering: () => writer.metrics() });
  const billing = options.billing;
  const extensions = (options.extensions ?? []).map((factory) =>
    factory({
      db: system,
      listener,
      logger,
      rateLimit: async (key, policy) => {
        const result = await limiter.consume(key, policy);
        return { ...result, headers: rateLimitHeaders(result) };
      },
    }),
  );
  await Promise.all(extensions.map((extension) => extension.ready()));
  const pipelineDeps = {
    database: options.database,
    product: options.product,
    verifier: keys.verifier,
    limiter,
    meter: writer,
    organizations: organizations?.cache ?? null,
    billing: () => billing ?? billingRuntimeFromEnv(),
    logger,
    metrics,
    ipRateLimit: options.ipRateLimit ?? 60,
  };
  const pipeline = createGatewayPipeline(pipelineDeps);
  const app = createGatewayApp(
    {
      ...pipelineDeps,
      routes: options.routes,
      ping: async () => {
        await system.$queryRaw`SELECT 1`;
        return true;
      },
      mounts: [
        ...extensions.map(extensionMount),
        openApiMergeMount(extensions),
        docsMount(options.product.name),
      ],
    },
    pipeline,
  );
  // Made on first use: @hono/node-server's listener replaces the global Request/Response
  // with its own, which in-process callers (app.request in tests) never need.
  let hono: ReturnType<typeof getRequestListener> | null = null;
  const toHono: RequestListener = (req, res) =>
    void (hono ??= getRequestListener(app.fetch))(req, res);
  /** What a node:http server calls per request: the fast path, falling back to Hono. */
  const requestListener: RequestListener =
    options.fastPath === false
      ? toHono
      : createFastPath({
          pipeline,
          routes: options.routes,
          extensions,
          logger,
          fallback: toHono,
        });
  return {
    app,
    requestListener,
    pipeline,
    metrics,
    writer,
    verifier: keys.verifier,
    extensions,
    /** Drains the metering queue, writes last-used times, closes connections. */
    async close(timeoutMs = 10_000) {
      await Promise.all(extensions.map((extension) => extension.close()));
      const drained = await writer.close({ timeoutMs });
      await keys.close();
      organizations?.close();
      await listener.close();
      redis?.disconnect();
      return drained;
    },
  };
}

export type GatewayRuntime = Awaited<ReturnType<typeof createGatewayRuntime>>;
