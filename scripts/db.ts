// Database commands for developers: `pnpm db:migrate`, `pnpm db:seed`, `pnpm db:reset`,
// `pnpm db:migration <name>` (writes prisma/migrations/<timestamp>_<name>/migration.sql from
// the difference between the migrations and prisma/schema, using Prisma's own engine).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureDatabase, quoteIdent } from "@plinth/db/embedded";
import { openLocalDatabase } from "@plinth/db/local-database";
import { MIGRATIONS_DIR, migrate, readSchemaFiles } from "@plinth/db/migrate";
import { prepareDatabase } from "./prepare-database.ts";
import { diffDatabaseToSchema } from "@plinth/db/schema-engine";
import pg from "pg";

const [command, ...args] = process.argv.slice(2);
const log = (line: string) => console.log(line);
const database = await openLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
try {
  switch (command) {
    case "migrate":
      await prepareDatabase(database.url, { log });
      break;
    case "seed": {
      const { seed } = await import("../prisma/seed.ts");
      await prepareDatabase(database.url, { log });
      await seed(database.url, { log });
      break;
    }
    case "reset": {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      // The job queue too: it holds jobs that point at rows that no longer exist.
      await client.query(
        "DROP SCHEMA IF EXISTS graphile_worker CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;",
      );
      await client.end();
      await prepareDatabase(database.url, { log });
      const { seed } = await import("../prisma/seed.ts");
      await seed(database.url, { log });
      break;
    }
    case "migration": {
      const name = args[0];
      if (!name || !/^[a-z0-9_]+$/.test(name))
        throw new Error("usage: db:migration <snake_case_name>");
      // Apply the existing migrations to a scratch database, then diff it against the schema.
      const scratch = `plinth_migration_${Date.now()}`;
      const serverUrl = database.url.replace(/\/[^/]*$/, "/postgres");
      await ensureDatabase(serverUrl, scratch);
      const scratchUrl = database.url.replace(/\/[^/]*$/, `/${scratch}`);
      try {
        await migrate(scratchUrl);
        const diff = await diffDatabaseToSchema(scratchUrl, await readSchemaFiles(), {
          script: true,
        });
        if (diff.exitCode === 0) {
          log("prisma/schema and the migrations agree: nothing to write");
          break;
        }
        const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
        const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, "migration.sql"), diff.stdout ?? "");
        log(
          `wrote ${path.relative(process.cwd(), dir)}/migration.sql — add RLS for new tenant tables`,
        );
      } finally {
        const admin = new pg.Client({ connectionString: serverUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
        await admin.end();
      }
      break;
    }
    default:
      throw new Error("usage: db.ts migrate | seed | reset | migration <name>");
  }
} finally {
  await database.stop();
}
