// Operator view of the queue: failed jobs, manual retry, queue depth. System client only
// (graphile-worker's tables are not readable by the app role).
import { type PrismaClient } from "@plinth/db";

type Executor = Pick<PrismaClient, "$queryRaw">;

export interface FailedJob {
  id: string;
  name: string;
  queue: string | null;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  payload: unknown;
  createdAt: Date;
  updatedAt: Date;
}

/** Jobs that exhausted their attempts; graphile-worker keeps them with `last_error`. */
export async function listFailedJobs(
  prisma: Executor,
  options: { limit?: number } = {},
): Promise<FailedJob[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
      name: string;
      queue: string | null;
      attempts: number;
      max_attempts: number;
      last_error: string | null;
      payload: unknown;
      created_at: Date;
      updated_at: Date;
    }[]
  >`
    SELECT j.id, t.identifier AS name, q.queue_name AS queue, j.attempts, j.max_attempts,
           j.last_error, j.payload, j.created_at, j.updated_at
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    LEFT JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
    WHERE j.attempts >= j.max_attempts AND j.locked_at IS NULL
    ORDER BY j.updated_at DESC
    LIMIT ${limit}`;
  return rows.map((row) => ({
    id: String(row.id),
    name: row.name,
    queue: row.queue,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    lastError: row.last_error,
    payload: row.payload,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * Gives a failed (or waiting) job a fresh set of attempts, due now. Uses graphile-worker's own
 * reschedule_jobs (which refuses jobs currently locked by a worker). Returns false when no
 * such unlocked job exists.
 */
export async function retryJob(prisma: Executor, jobId: string | bigint): Promise<boolean> {
  const id = BigInt(jobId);
  const rows = await prisma.$queryRaw<{ id: bigint }[]>`
    WITH r AS (
      SELECT id FROM graphile_worker.reschedule_jobs(ARRAY[${id}::bigint], run_at => now(), attempts => 0)
    ), n AS (
      SELECT pg_notify('jobs:insert', '{"r":0,"count":1}') FROM r
    )
    SELECT r.id FROM r LEFT JOIN n ON true`;
  return rows.length > 0;
}

export interface QueueStats {
  /** Jobs due now and not locked by a worker. */
  waiting: number;
  /** Jobs currently locked by a worker. */
  running: number;
  /** Jobs scheduled in the future (including retries waiting for their backoff). */
  scheduled: number;
  failed: number;
  /** Seconds the oldest due job has been waiting (0 when none). */
  oldestWaitingSeconds: number;
}

export async function queueStats(prisma: Executor): Promise<QueueStats> {
  const rows = await prisma.$queryRaw<
    { waiting: bigint; running: bigint; scheduled: bigint; failed: bigint; oldest: number | null }[]
  >`
    SELECT
      count(*) FILTER (WHERE is_available AND run_at <= now()) AS waiting,
      count(*) FILTER (WHERE locked_at IS NOT NULL) AS running,
      count(*) FILTER (WHERE is_available AND run_at > now()) AS scheduled,
      count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts) AS failed,
      extract(epoch FROM now() - min(run_at) FILTER (WHERE is_available AND run_at <= now()))::float8 AS oldest
    FROM graphile_worker._private_jobs`;
  const row = rows[0];
  return {
    waiting: Number(row?.waiting ?? 0),
    running: Number(row?.running ?? 0),
    scheduled: Number(row?.scheduled ?? 0),
    failed: Number(row?.failed ?? 0),
    oldestWaitingSeconds: Math.max(0, Math.round(row?.oldest ?? 0)),
  };
}

/**
 * graphile-worker only fetches jobs whose name it has a handler for, so a job with an unknown
 * name would wait forever. This marks such jobs as permanently failed with a clear error,
 * once they are older than `graceMs` (so a rolling deploy, where an older worker briefly
 * sees jobs added by newer code, does not fail them). Returns the failed job ids.
 */
export async function failUnknownJobs(
  prisma: Executor,
  knownNames: readonly string[],
  graceMs: number,
): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: bigint }[]>`
    UPDATE graphile_worker._private_jobs AS j
    SET attempts = j.max_attempts,
        last_error = 'UnknownJobError: no handler is registered for job "' || t.identifier ||
                     '" (failed permanently without running)',
        updated_at = now()
    FROM graphile_worker._private_tasks AS t
    WHERE t.id = j.task_id
      AND NOT (t.identifier = ANY(${[...knownNames]}::text[]))
      AND j.locked_at IS NULL
      AND j.attempts < j.max_attempts
      AND j.created_at <= now() - make_interval(secs => ${graceMs / 1000}::float8)
    RETURNING j.id`;
  return rows.map((row) => String(row.id));
}
