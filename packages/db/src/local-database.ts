// The database for local commands (dev server, db scripts): DATABASE_URL when set, otherwise
// the embedded PostgreSQL whose data lives in .plinth/postgres (kept between runs).
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const LOCAL_DATA_DIR = path.join(REPO_ROOT, ".plinth", "postgres");
export const LOCAL_PORT = 54329;
export const LOCAL_DATABASE = "plinth";

export interface LocalDatabase {
  url: string;
  /** Whether this process started the server (and so must stop it). */
  embedded: boolean;
  stop(): Promise<void>;
}

export async function openLocalDatabase(options: {
  databaseUrl?: string | undefined;
  log?: (line: string) => void;
}): Promise<LocalDatabase> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  }
  const url = `postgresql://postgres:postgres@127.0.0.1:${LOCAL_PORT}/${LOCAL_DATABASE}`;
  // Another Plinth command (e.g. `npm run dev`) may already run the embedded server.
  if (await canConnect(url.replace(`/${LOCAL_DATABASE}`, "/postgres"))) {
    await ensureDatabase(url.replace(`/${LOCAL_DATABASE}`, "/postgres"), LOCAL_DATABASE);
    return { url, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: LOCAL_DATA_DIR,
    port: LOCAL_PORT,
    strictPort: true,
    persistent: true,
    ...(options.log ? { log: options.log } : {}),
  });
  await ensureDatabase(server.serverUrl, LOCAL_DATABASE);
  return { url: server.urlFor(LOCAL_DATABASE), embedded: true, stop: () => server.stop() };
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
