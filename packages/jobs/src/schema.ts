// graphile-worker keeps its queue in the `graphile_worker` schema, which it migrates itself.
// installJobSchema runs those migrations (idempotent) and lets the RLS-bound app role enqueue.
import { Logger, runMigrations } from "graphile-worker";
import pg from "pg";
import { APP_DATABASE_ROLE } from "@plinth/db";

const ADD_JOB_SIGNATURE =
  "graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text)";

/** Serialises concurrent installers (worker + web starting together). */
const INSTALL_LOCK_KEY = 72_707_370;

export async function installJobSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [INSTALL_LOCK_KEY]);
    await runMigrations({ connectionString: databaseUrl, logger: silentLogger() });
    // graphile-worker's tables have row-level security with no policies, so the app role
    // (plinth_app, used for tenant requests) can neither read nor write them. Web requests must
    // still be able to enqueue in their own transaction: add_job runs with its owner's rights
    // (SECURITY DEFINER, fixed search_path) and only plinth_app and the owner may call it. The
    // app role gets no other access to the queue. Re-applied on every start, so a
    // graphile-worker upgrade that recreates the function is covered (a changed signature
    // fails loudly here).
    const { rowCount } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [
      APP_DATABASE_ROLE,
    ]);
    if (rowCount) {
      await client.query(`
        ALTER FUNCTION ${ADD_JOB_SIGNATURE} SECURITY DEFINER;
        ALTER FUNCTION ${ADD_JOB_SIGNATURE} SET search_path = pg_catalog, pg_temp;
        REVOKE ALL ON FUNCTION ${ADD_JOB_SIGNATURE} FROM PUBLIC;
        GRANT USAGE ON SCHEMA graphile_worker TO ${APP_DATABASE_ROLE};
        GRANT EXECUTE ON FUNCTION ${ADD_JOB_SIGNATURE} TO ${APP_DATABASE_ROLE};`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [INSTALL_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

function silentLogger(): Logger {
  return new Logger(() => () => undefined);
}
