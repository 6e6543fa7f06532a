import { type PrismaClient } from "@plinth/db";
import { type TestDatabase } from "@plinth/db/testing";
import { startWorker, type StartWorkerOptions, type StartedWorker } from "../src/worker.ts";
import { createLogger } from "@plinth/core/logger";

/** Polls `check` until it returns a truthy value (no fixed sleeps). */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 25, what = "condition" } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One log line as the worker wrote it (JSON-parsed). */
export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface TestWorker extends StartedWorker {
  logs: LogLine[];
}

/** A worker tuned for tests: fast polling, no cron, logs captured instead of printed. */
export async function startTestWorker(
  db: TestDatabase,
  options: Partial<StartWorkerOptions> = {},
): Promise<TestWorker> {
  const logs: LogLine[] = [];
  const worker = await startWorker({
    databaseUrl: db.url,
    concurrency: 2,
    pollIntervalMs: 100,
    cron: null,
    unknownJobGraceMs: 0,
    unknownJobSweepIntervalMs: 100,
    shutdownTimeoutMs: 5_000,
    logger: createLogger({
      destination: { write: (line) => void logs.push(JSON.parse(line) as LogLine) },
    }),
    ...options,
  });
  return Object.assign(worker, { logs });
}

export interface QueueRow {
  id: bigint;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  run_at: Date;
  locked_at: Date | null;
  locked_by: string | null;
  now: Date;
}

export async function queueRows(prisma: PrismaClient, name?: string): Promise<QueueRow[]> {
  const rows = await prisma.$queryRaw<QueueRow[]>`
    SELECT j.id, t.identifier AS name, j.payload, j.attempts, j.max_attempts, j.last_error, j.run_at,
           j.locked_at, j.locked_by, now() AS now
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    ORDER BY j.id`;
  return name ? rows.filter((row) => row.name === name) : rows;
}
