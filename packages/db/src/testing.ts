// Test databases: vitest's global setup (test/global-setup.ts) starts PostgreSQL (embedded,
// or the server in DATABASE_URL) and migrates a template database once; every test file
// then clones its own database from that template in ~100 ms.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase, systemClient, type Database, type PrismaClient } from "./client.ts";
import { quoteIdent } from "./embedded.ts";

export const TEST_TEMPLATE_DATABASE = "plinth_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Maintenance URL of the test PostgreSQL server (database `postgres`). */
    testServerUrl: string;
  }
}

export interface TestDatabase extends Database {
  /** The owner client (tests arrange and inspect rows with it; production code cannot). */
  system: PrismaClient;
  url: string;
  name: string;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  return inject("testServerUrl");
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(
  options: { serverUrl?: string; template?: string } = {},
): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? testServerUrl();
  const name = `plinth_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, async (admin) => {
    // Cloning fails while another session touches the template; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(
          `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(options.template ?? TEST_TEMPLATE_DATABASE)}`,
        );
        return;
      } catch (error) {
        if (attempt >= 20 || !String(error).includes("being accessed by other users")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  const url = databaseUrl(serverUrl, name);
  const database = createDatabase(url, { poolMax: 5 });
  return {
    ...database,
    system: systemClient(database, "tests arrange fixtures and inspect rows"),
    url,
    name,
    drop: async () => {
      await database.disconnect();
      await withAdmin(serverUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      );
    },
  };
}

export async function withAdmin<T>(
  serverUrl: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
