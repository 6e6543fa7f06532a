// The process-wide database for server code (auth, tRPC, pages): created on first use, never
// at import time (so `next build` needs no DATABASE_URL), and cached on globalThis so Next's
// development hot reloads do not open a new pool per edit.
import { createDatabase, type Database } from "@plinth/db";
import { authEnv } from "./env.ts";

const globalForDatabase = globalThis as typeof globalThis & { __plinthDatabase?: Database };

export function getDatabase(): Database {
  if (!globalForDatabase.__plinthDatabase) {
    const url = authEnv().DATABASE_URL;
    if (!url)
      throw new Error(
        "DATABASE_URL is not set (the dev script starts a local database and sets it)",
      );
    globalForDatabase.__plinthDatabase = createDatabase(url);
  }
  return globalForDatabase.__plinthDatabase;
}
