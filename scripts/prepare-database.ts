// One step for every command that gets a database ready (`npm run dev`, `pnpm db:migrate`,
// `db:seed`, `db:reset`): our migrations, then graphile-worker's queue schema. Both are
// needed before the web app serves a request: sign-up, invitations and password resets
// enqueue their emails in the request's transaction (graphile_worker.add_job), so a database
// migrated without the queue schema fails those requests until the worker first starts.
import { migrate } from "@plinth/db/migrate";
import { installJobSchema } from "@plinth/jobs";

export async function prepareDatabase(
  databaseUrl: string,
  options: { log?: (line: string) => void } = {},
): Promise<void> {
  await migrate(databaseUrl, options.log ? { log: options.log } : {});
  await installJobSchema(databaseUrl);
  options.log?.("job queue schema (graphile_worker) installed");
}
