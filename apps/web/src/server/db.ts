// The one Database (app + system Prisma clients) of this server process: @plinth/db's
// singleton (created on first use from DATABASE_URL, cached on globalThis; Auth.js shares it).
import "server-only";
import { getDatabase, type Database } from "@plinth/db";
import { env } from "~/env.ts";

export function db(): Database {
  env(); // validate the app's configuration before the first connection
  return getDatabase();
}
