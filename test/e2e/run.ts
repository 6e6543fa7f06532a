// Browser end-to-end tests (called by `pnpm test` after `next build`): a throw-away
// PostgreSQL (embedded, or a fresh database on the DATABASE_URL server), the built web app,
// then each scenario in Chromium.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureDatabase, startEmbeddedPostgres } from "@plinth/db/embedded";
import { migrate } from "@plinth/db/migrate";
import { databaseUrl } from "@plinth/db/testing";
import { startWebServer } from "./server.ts";
import { runSignUpUpgrade } from "./signup-upgrade.ts";
import { runBillingLocal } from "./billing-local.ts";

const scenarios: [string, (baseUrl: string) => Promise<unknown>][] = [
  ["sign-up → project → upgrade prompt → sign-out/in", (url) => runSignUpUpgrade(url)],
  ["trial → billing → test-mode checkout → Pro → second project", (url) => runBillingLocal(url)],
];

let serverUrl: string;
let stopDatabase = async () => {};
if (process.env.DATABASE_URL) {
  serverUrl = databaseUrl(process.env.DATABASE_URL, "postgres");
} else {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "plinth-e2e-pg-"));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false });
  serverUrl = server.serverUrl;
  stopDatabase = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

let failed = 0;
try {
  const name = `plinth_e2e_${Date.now()}`;
  await ensureDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  await migrate(url);
  const web = await startWebServer({ databaseUrl: url });
  try {
    for (const [title, scenario] of scenarios) {
      const started = Date.now();
      try {
        await scenario(web.url);
        console.log(`  ✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed++;
        console.error(`  ✗ ${title}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    if (failed) console.error(web.output());
  } finally {
    await web.stop();
  }
} finally {
  await stopDatabase();
}
process.exit(failed ? 1 : 0);
