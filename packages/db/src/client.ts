// Prisma clients. Two ways in, on purpose:
// - the app client connects with `role=plinth_app`, so PostgreSQL row-level security applies
//   to every query (web requests; always used through a tenant scope, see tenant.ts);
// - the system client connects as the owner and bypasses RLS: the explicit privileged path
//   for the worker, seeds, webhooks and the operator console.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";

export type DatabaseRole = "app" | "system";

export interface CreateClientOptions {
  role: DatabaseRole;
  /** Pool size; PostgreSQL's default max_connections is 100 (embedded: 200). */
  poolMax?: number;
}

export const APP_DATABASE_ROLE = "plinth_app";

export function createPrismaClient(databaseUrl: string, options: CreateClientOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolMax ?? 10,
    ...(options.role === "app" ? { options: `-c role=${APP_DATABASE_ROLE}` } : {}),
  });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };

/** Both clients for one database; the web app and tests hold one of these. */
export interface Database {
  app: PrismaClient;
  system: PrismaClient;
  disconnect(): Promise<void>;
}

export function createDatabase(databaseUrl: string, options: { poolMax?: number } = {}): Database {
  const app = createPrismaClient(databaseUrl, { role: "app", ...options });
  const system = createPrismaClient(databaseUrl, { role: "system", poolMax: 4 });
  return {
    app,
    system,
    disconnect: async () => {
      await Promise.all([app.$disconnect(), system.$disconnect()]);
    },
  };
}
