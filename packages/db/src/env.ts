// The database's configuration (@t3-oss/env-core, like every package's env.ts). @plinth/db
// imports no workspace package, so it passes createEnv the same options as @plinth/core's
// envOptions by hand. Read by getDatabase() (singleton.ts) and composed by the apps' env.ts.
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";

export function parseDbEnv(source: Record<string, string | undefined> = process.env) {
  return createEnv({
    server: {
      /** Unset in development: `npm run dev` starts an embedded PostgreSQL and sets it. */
      DATABASE_URL: z
        .string({ error: "is not set (npm run dev starts a local database and sets it)" })
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection string"),
    },
    runtimeEnv: { ...source },
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const lines = issues.map((issue) => {
        const path = (issue.path ?? [])
          .map((segment) => String(typeof segment === "object" ? segment.key : segment))
          .join(".");
        return `  ✖ ${path}: ${issue.message}`;
      });
      throw new Error(`Invalid database configuration:\n${lines.join("\n")}`);
    },
  });
}

export type DbEnv = ReturnType<typeof parseDbEnv>;

let cached: DbEnv | undefined;
/** The process environment's database configuration, parsed on first use. */
export function dbEnv(): DbEnv {
  cached ??= parseDbEnv();
  return cached;
}
