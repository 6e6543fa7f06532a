// Fixtures for the gateway's tests: a real PostgreSQL (per test file), the whole product
// (preset `all`), organizations with an owner and a plan, API keys issued the way the
// management service does (hash only), and a gateway runtime served in-process
// (`gateway.app.request`) or over HTTP in child processes (./processes.ts).
import { randomBytes } from "node:crypto";
import { insertApiKey } from "@plinth/api-keys";
import { createTestDatabase, type TestDatabase } from "@plinth/db/testing";
import { productRuntime } from "@plinth/product";
import { productGatewayExtensions, productRoutes } from "@plinth/product/http";
import {
  LOCAL_BILLING,
  createTestKit,
  createUser,
  setPlan,
  silentLogger,
} from "@plinth/trpc/testing";
import { createAppRouter } from "@plinth/trpc";
import { createGatewayRuntime, type GatewayRuntime } from "../src/runtime.ts";

export const product = productRuntime("all");
const kit = createTestKit(product, createAppRouter(product, {}));

export const ALL_SCOPES = [
  ...["projects:read", "projects:write", "usage:read", "apis:call"],
  ...["practice:read", "practice:write"],
  ...["tests:read", "tests:write"],
];

export async function startDatabase(): Promise<TestDatabase> {
  return createTestDatabase();
}

export async function startGateway(
  db: TestDatabase,
  options: { redisUrl?: string; ipRateLimit?: number; organizationCacheMs?: number } = {},
): Promise<GatewayRuntime> {
  return createGatewayRuntime({
    database: db,
    databaseUrl: db.url,
    product,
    routes: productRoutes(product),
    extensions: productGatewayExtensions(product),
    logger: silentLogger,
    billing: LOCAL_BILLING,
    flushIntervalMs: 20,
    ipRateLimit: options.ipRateLimit ?? 1_000,
    organizationCacheMs: options.organizationCacheMs ?? 0,
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
  });
}

/** An organization on `plan` with its owner. */
export async function createOrganization(db: TestDatabase, plan = "pro") {
  const tag = randomBytes(4).toString("hex");
  const owner = await createUser(db, `owner-${tag}@example.test`);
  const organization = await kit.createOrganization(db, owner, `Org ${tag}`);
  if (plan !== "trial") await setPlan(db, organization.id, plan);
  return { owner, organization };
}

export async function issueKey(
  db: TestDatabase,
  organizationId: string,
  options: {
    scopes?: string[];
    expiresAt?: Date | null;
    rateLimit?: { requests: number; windowSeconds: number };
  } = {},
) {
  const issued = await insertApiKey(db.system, {
    organizationId,
    name: "test",
    scopes: options.scopes ?? ALL_SCOPES,
    expiresAt: options.expiresAt ?? null,
    rateLimit: options.rateLimit ?? null,
  });
  return { key: issued.key, id: issued.record.id };
}

export function call(
  gateway: GatewayRuntime,
  path: string,
  options: { key?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  // Hono answers `Response | Promise<Response>`: always a promise here, for Promise.all.
  return Promise.resolve(
    gateway.app.request(path, {
      method: options.method ?? "GET",
      headers,
      ...(options.body !== undefined
        ? { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) }
        : {}),
    }),
  );
}
