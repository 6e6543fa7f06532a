// Prisma clients. Two ways in, on purpose:
// - the app client connects with `role=plinth_app`, so PostgreSQL row-level security applies
//   to every query (web requests; always used through a tenant scope, see tenant.ts);
// - the system client connects as the owner and bypasses RLS: the explicit privileged path
//   for the worker, seeds, webhooks and the operator console.
import { createHash } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

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
  const adapter = new PrismaPg(
    {
      connectionString: databaseUrl,
      max: options.poolMax ?? 10,
      ...(options.role === "app" ? { options: `-c role=${APP_DATABASE_ROLE}` } : {}),
    },
    { statementNameGenerator: preparedStatementName },
  );
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

/** Both clients for one database; the web app and tests hold one of these. */
export interface Database {
  app: PrismaClient;
  system: PrismaClient;
  disconnect(): Promise<void>;
}

export function createDatabase(databaseUrl: string, options: { poolMax?: number } = {}): Database {
  const app = createPrismaClient(databaseUrl, {
    role: "app",
    ...(options.poolMax ? { poolMax: options.poolMax } : {}),
  });
  // The system client serves session lookups and webhook intake on the web tier: not tiny.
  const system = createPrismaClient(databaseUrl, { role: "system", poolMax: 8 });
  return {
    app,
    system,
    disconnect: async () => {
      await Promise.all([app.$disconnect(), system.$disconnect()]);
    },
  };
}
