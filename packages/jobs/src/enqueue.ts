// Transactional enqueue: the job row is inserted by graphile_worker.add_job through the
// caller's own Prisma transaction client, so the caller's data change and its job commit
// together or not at all. `addJobCall` is the one place that knows add_job's arguments: it
// validates the payload and returns the call as an SQL fragment, which `enqueue` runs on its
// own and which a caller can embed in a larger statement (e.g. a data-modifying CTE that
// schedules a job only for the row it inserted — see packages/billing/src/stripe/webhooks.ts).
import { Prisma, type PrismaClient, type TransactionClient } from "@plinth/db";
import { parsePayload, type JobDefinition, type JobInput } from "./define.ts";

/** Anything that can run a raw query: a transaction client (preferred) or a client. */
export type JobExecutor = Pick<TransactionClient, "$queryRaw">;

export interface EnqueueOptions {
  /** Run no earlier than this time (default: now). */
  runAt?: Date;
}

export interface EnqueuedJob {
  /** graphile-worker job id (bigint, as a string). */
  id: string;
  name: string;
}

/**
 * `graphile_worker.add_job(...)` for this job and payload, as an SQL expression whose value is
 * the job row (`(<call>).id` is its id). Throws InvalidJobPayloadError before any SQL runs when
 * the payload does not match the job's schema; applies the job's queue, maxAttempts, jobKey and
 * priority and the caller's runAt.
 */
export function addJobCall<TJob extends JobDefinition>(
  job: TJob,
  payload: JobInput<TJob>,
  options: EnqueueOptions = {},
): Prisma.Sql {
  const parsed = parsePayload(job, payload);
  const jobKey = job.jobKey ? job.jobKey(parsed) : null;
  return Prisma.sql`graphile_worker.add_job(
      identifier => ${job.name}::text,
      payload => ${JSON.stringify(parsed)}::json,
      queue_name => ${job.queue ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${job.maxAttempts ?? null}::int,
      job_key => ${jobKey}::text,
      priority => ${job.priority ?? null}::int
    )`;
}

export async function enqueue<TJob extends JobDefinition>(
  tx: JobExecutor,
  job: TJob,
  payload: JobInput<TJob>,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  const rows = await tx.$queryRaw<
    { id: bigint | null }[]
  >`SELECT (${addJobCall(job, payload, options)}).id AS id`;
  const id = rows[0]?.id;
  if (id === null || id === undefined)
    throw new Error(`graphile_worker.add_job returned no job for "${job.name}"`);
  return { id: String(id), name: job.name };
}

/** Enqueue outside any business transaction (system work, scripts, the operator console). */
export function enqueueSystem<TJob extends JobDefinition>(
  prisma: PrismaClient,
  job: TJob,
  payload: JobInput<TJob>,
  options: EnqueueOptions = {},
): Promise<EnqueuedJob> {
  return enqueue(prisma, job, payload, options);
}
