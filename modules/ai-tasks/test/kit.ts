// Fixtures for this module's tests: the demo product (plinth.config.ts, preset `all`) with the
// core routers and this module's own; the worker's attempt handler run directly on the jobs the
// services queued (graphile-worker's own queue, read and completed here).
import { createLogger, type Logger } from "@plinth/core/logger";
import { parseAiEnv } from "@plinth/ai/env";
import { createProductRuntime } from "@plinth/platform";
import { createAppRouter } from "@plinth/trpc";
import { createTestKit } from "@plinth/trpc/testing";
import type { TestDatabase } from "@plinth/db/testing";
import { Keyring, generateKeyEntry } from "@plinth/vault";
import presets from "../../../plinth.config.ts";
import { routers } from "../src/trpc.ts";
import { executeTaskAttempt, type ExecuteDeps } from "../src/execute.ts";
import { aiTasksJobs } from "../src/jobs.ts";
import { DEFAULT_PRICES } from "../src/env.ts";

// One keyring for the process (the services read ENCRYPTION_KEYS; the worker gets it passed).
process.env.ENCRYPTION_KEYS ??= generateKeyEntry(1);
export const keyring = Keyring.parse(process.env.ENCRYPTION_KEYS);

export const product = createProductRuntime(presets.all);
export const appRouter = createAppRouter(product, { "ai-tasks": routers });
export const { callerFor, createOrganization } = createTestKit(product, appRouter);
export { addMember, createUser, LOCAL_BILLING, setPlan, silentLogger } from "@plinth/trpc/testing";

/** Log lines as the worker would write them (JSON), for the key-hygiene checks. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({
      level: "debug",
      destination: { write: (line) => void lines.push(line) },
    }),
  };
}

export interface QueuedJob {
  id: bigint;
  payload: { taskId: string; organizationId: string; attempt: number };
  run_at: Date;
  now: Date;
}

/** The waiting aiTasks.run jobs, oldest first. */
export function queuedJobs(db: TestDatabase): Promise<QueuedJob[]> {
  return db.system.$queryRaw<QueuedJob[]>`
    SELECT j.id, j.payload, j.run_at, now() AS now
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${aiTasksJobs.run.name}
    ORDER BY j.id`;
}

export function workerDeps(
  db: TestDatabase,
  over: Partial<ExecuteDeps> & {
    baseURL?: string;
    platformKey?: string;
    /** AI_ALLOW_PRIVATE_NETWORKS: an organization's base URL may be on loopback. */
    allowPrivateNetworks?: boolean;
  } = {},
): ExecuteDeps {
  const { baseURL, platformKey, allowPrivateNetworks, ...rest } = over;
  return {
    prisma: db.system,
    log: silentLoggerInstance,
    env: parseAiEnv({
      ...(platformKey ? { OPENAI_API_KEY: platformKey } : {}),
      ...(baseURL ? { OPENAI_BASE_URL: baseURL } : {}),
      ...(allowPrivateNetworks ? { AI_ALLOW_PRIVATE_NETWORKS: "true" } : {}),
      AI_MAX_RETRIES: "0",
      AI_REQUEST_TIMEOUT_MS: "5000",
    }),
    keyring,
    prices: DEFAULT_PRICES,
    cancelPollMs: 25,
    flushMs: 10,
    retryBaseDelayMs: 10,
    ...rest,
  };
}

const silentLoggerInstance = createLogger({ level: "silent" });

/**
 * Runs the next waiting job the way the worker does (payload parsed by the job's schema, the
 * handler, then the job row removed), ignoring run_at. Returns false when none waits.
 */
export async function runNextJob(
  db: TestDatabase,
  deps: ExecuteDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<QueuedJob | null> {
  const [job] = await queuedJobs(db);
  if (!job) return null;
  await db.system.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ${job.id}`;
  const payload = aiTasksJobs.run.payload.parse(job.payload);
  await executeTaskAttempt(deps, payload, signal);
  return job;
}

/** Runs waiting jobs until none is left (retries included). */
export async function drainJobs(db: TestDatabase, deps: ExecuteDeps): Promise<number> {
  let count = 0;
  while (await runNextJob(db, deps)) count += 1;
  return count;
}
