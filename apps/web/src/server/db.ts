// The one Database (app + system Prisma clients) of this server process: created on first
// use from DATABASE_URL and cached on globalThis (shared with @plinth/auth, so one pool).
import "server-only";
import { getDatabase } from "@plinth/auth";
import type { Database } from "@plinth/db";
import { env } from "~/env.ts";

export function db(): Database {
  env(); // validate the app's configuration before the first connection
  return getDatabase();
}
