// Prisma clients. Two ways in, on purpose:
// - the app client connects with `role=plinth_app`, so PostgreSQL row-level security applies
//   to every query (web requests; always used through a tenant scope, see tenant.ts);
// - the system client connects as the owner and bypasses RLS: the explicit privileged path.
//   A Database does not hand it out as a field: the one way in is `systemClient(database,
//   reason)`, which only a few named places call (request code goes through
//   `scope.asSystem(reason)` in @plinth/core; the worker, scripts, seeds and tests). ESLint
//   refuses the import anywhere else (packages/config/eslint.js, "system client").
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { installTenantBegin, markTenantPool } from "./tenant-begin.ts";

export type DatabaseRole = "app" | "system";

export interface CreateClientOptions {
  role: DatabaseRole;
  /** Pool size; PostgreSQL's default max_connections is 100 (embedded: 200). */
  poolMax?: number;
}

export const APP_DATABASE_ROLE = "plinth_app";

export function createPrismaClient(
  databaseUrl: string,
  options: CreateClientOptions,
): PrismaClient {
  const config: pg.PoolConfig = { connectionString: databaseUrl, max: options.poolMax ?? 10 };
  if (options.role === "system") return prismaOnPool(new pg.Pool(config));
  // The app role's pool is ours so that its connections send a tenant transaction's BEGIN and
  // RLS settings in one round trip (tenant-begin.ts); $disconnect() still ends it.
  const pool = new pg.Pool({ ...config, options: `-c role=${APP_DATABASE_ROLE}` });
  installTenantBegin(pool);
  const client = prismaOnPool(pool);
  markTenantPool(client);
  return client;
}

/** A Prisma client on `pool` (ended by its $disconnect). */
function prismaOnPool(pool: pg.Pool): PrismaClient {
  const adapter = new PrismaPg(pool, {
    statementNameGenerator: preparedStatementName,
    disposeExternalPool: true,
  });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };

// Named prepared statements: PostgreSQL parses and plans each distinct query once per
// connection instead of on every execution (about 20% off a typical query, see
// scripts/bench.ts). Prisma's SQL is parameterised, so the set of names is bounded by the
// code's query shapes. (Poolers in transaction mode: PgBouncer ≥ 1.21 tracks prepared
// statements; the app role's `-c role=` startup option needs session pooling anyway.)
const statementNames = new Map<string, string>();
function preparedStatementName(query: { sql: string }): string {
  let name = statementNames.get(query.sql);
  if (!name) {
    name = `p${createHash("sha1").update(query.sql).digest("base64url")}`;
    statementNames.set(query.sql, name);
  }
  return name;
}

// A registered symbol: Next bundles this file into more than one server chunk, and the
// Database cached on globalThis (singleton.ts) must be readable from every copy.
const SYSTEM_CLIENT = Symbol.for("plinth.systemClient");
const SYSTEM_POOL = Symbol.for("plinth.systemPool");

/** Both clients for one database; the web app holds one of these (tests: a TestDatabase). */
export interface Database {
  /** RLS-bound: use it through a tenant or user scope (tenant.ts). */
  readonly app: PrismaClient;
  /** The owner client: only through systemClient(). */
  readonly [SYSTEM_CLIENT]: PrismaClient;
  /** The owner role's pg pool under that client: only through systemPool(). */
  readonly [SYSTEM_POOL]: pg.Pool;
  disconnect(): Promise<void>;
}

/**
 * The privileged (RLS-bypassing) client of `database`. `reason` says why, at the call site,
 * so every way around row-level security can be found with one grep ("systemClient(" and
 * "asSystem("). Callers: @plinth/core's scope.asSystem, the worker, Auth.js's adapter and the
 * session lookup, the webhook intake, scripts, seeds and tests.
 */
export function systemClient(database: Database, reason: string): PrismaClient {
  if (!reason.trim()) throw new Error("systemClient: say why the system client is needed");
  return database[SYSTEM_CLIENT];
}

/**
 * The pg pool under the system client (same connections, same role), for the one statement
 * where Prisma's own handling costs too much: the metering writer's batch of parameter arrays.
 * The same door as systemClient(), with a reason; test/system-client.test.ts lists its callers.
 */
export function systemPool(database: Database, reason: string): pg.Pool {
  if (!reason.trim()) throw new Error("systemPool: say why the system pool is needed");
  return database[SYSTEM_POOL];
}

export function createDatabase(databaseUrl: string, options: { poolMax?: number } = {}): Database {
  const app = createPrismaClient(databaseUrl, {
    role: "app",
    ...(options.poolMax ? { poolMax: options.poolMax } : {}),
  });
  // The system client serves session lookups and webhook intake on the web tier: not tiny.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  const system = prismaOnPool(pool);
  return {
    app,
    [SYSTEM_CLIENT]: system,
    [SYSTEM_POOL]: pool,
    disconnect: async () => {
      await Promise.all([app.$disconnect(), system.$disconnect()]);
      // Used through systemPool() only, Prisma never opened it and so does not end it.
      if (!pool.ended) await pool.end();
    },
  };
}
