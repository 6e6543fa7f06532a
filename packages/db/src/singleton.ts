// The process-wide Database of server code (web pages, tRPC, Auth.js): created on first use
// from DATABASE_URL, never at import time (so `next build` needs no database), and cached on
// globalThis so Next's development hot reloads do not open a new pool per edit. The worker,
// scripts and tests open their own clients with an explicit URL.
import { createDatabase, type Database } from "./client.ts";
import { dbEnv } from "./env.ts";

const globalForDatabase = globalThis as typeof globalThis & { __plinthDatabase?: Database };

export function getDatabase(): Database {
  globalForDatabase.__plinthDatabase ??= createDatabase(dbEnv().DATABASE_URL);
  return globalForDatabase.__plinthDatabase;
}
