// The run engine behind the run.execute job: drives a Run row through QUEUED → RUNNING →
// SUCCEEDED | FAILED | CANCELED. Each run kind (core's demo; modules register theirs in their
// worker entry) supplies its input schema and an execute function that reports progress
// through checkpoints; a checkpoint records progress and a log line and stops the run when
// cancellation was requested. Creating and cancelling runs: ./runs.ts.
import type { Logger } from "@plinth/core/logger";
import { type Prisma, type PrismaClient } from "@plinth/db";
import { z } from "zod";
import { formatIssues } from "./define.ts";
import { jobs } from "./definitions.ts";
import { enqueueSystem } from "./enqueue.ts";

export class RunCanceledError extends Error {
  override readonly name = "RunCanceledError";
}

export interface RunContext<TInput> {
  runId: string;
  organizationId: string;
  /** The system client (the executor writes its own rows, filtered by organizationId). */
  prisma: PrismaClient;
  /** Base URL of the web app, for links (emails). */
  appUrl: string;
  input: TInput;
  /** Progress (0–100) already reached, when a run resumes after a worker crash. */
  resumeFrom: number;
  signal: AbortSignal;
  log(message: string, level?: "info" | "warn" | "error"): Promise<void>;
  /** Records progress (0–100) and an optional log line; throws RunCanceledError if canceled. */
  checkpoint(progress: number, message?: string): Promise<void>;
}

export interface RunKind<TSchema extends z.ZodType = z.ZodType> {
  input: TSchema;
  /**
   * A plan limit (declared by the kind's module) capping how many runs of this kind one
   * organization has RUNNING at once; further runs wait QUEUED for a free slot.
   */
  concurrencyLimit?: string;
  execute(ctx: RunContext<z.output<TSchema>>): Promise<Prisma.InputJsonValue>;
}

export function defineRunKind<TSchema extends z.ZodType>(kind: RunKind<TSchema>): RunKind<TSchema> {
  return kind;
}

/** What executeRun needs of the worker: the system client (runs span tenants), a logger, stop. */
export interface RunEngineContext {
  prisma: PrismaClient;
  log: Logger;
  /** Aborted when the worker is forced to stop: the run stays RUNNING and resumes on retry. */
  signal: AbortSignal;
  appUrl?: string;
  /** The organization's value of a plan limit (null: unlimited); needed for concurrencyLimit. */
  resolveLimit?(organizationId: string, limit: string): Promise<number | null>;
  /** How often a RUNNING run's updatedAt is refreshed (recoverStaleRuns reads it). */
  heartbeatMs?: number;
  /** How long a run waits before it looks for a free concurrency slot again. */
  slotRetryMs?: number;
}

/** Default heartbeat of a running run; a run silent for STALE_RUN_AFTER_MS counts as lost. */
export const RUN_HEARTBEAT_MS = 5_000;
export const STALE_RUN_AFTER_MS = 60_000;

/**
 * Runs whose worker died (SIGKILL, lost machine): RUNNING with no heartbeat for `staleAfterMs`.
 * graphile-worker keeps their job locked for 4 hours; this releases the lock now so the job is
 * retried (the run resumes from its progress), or fails the run when no attempt is left.
 * Returns the ids handled. Called by the worker's sweep.
 */
export async function recoverStaleRuns(
  prisma: PrismaClient,
  { staleAfterMs = STALE_RUN_AFTER_MS }: { staleAfterMs?: number | undefined } = {},
): Promise<{ retried: string[]; failed: string[] }> {
  const cutoff = new Date(Date.now() - staleAfterMs);
  const stale = await prisma.run.findMany({
    where: { status: "RUNNING", updatedAt: { lt: cutoff } },
    select: { id: true, organizationId: true },
    take: 100,
  });
  const retried: string[] = [];
  const failed: string[] = [];
  for (const run of stale) {
    const jobs = await prisma.$queryRaw<{ id: bigint; attempts: number; max_attempts: number }[]>`
      SELECT j.id, j.attempts, j.max_attempts
      FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'run.execute' AND j.payload->>'runId' = ${run.id}`;
    const job = jobs[0];
    if (job && job.attempts < job.max_attempts) {
      await prisma.$executeRaw`
        UPDATE graphile_worker._private_jobs
        SET locked_at = NULL, locked_by = NULL, run_at = now()
        WHERE id = ${job.id}`;
      // Touch the run so the next sweep does not release it again before a worker takes it.
      await prisma.$transaction([
        prisma.run.updateMany({
          where: { id: run.id, status: "RUNNING" },
          data: { updatedAt: new Date() },
        }),
        prisma.runLog.create({
          data: {
            runId: run.id,
            organizationId: run.organizationId,
            level: "warn",
            message: "The worker running this stopped responding: retrying",
          },
        }),
      ]);
      retried.push(run.id);
    } else {
      if (job)
        await prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ${job.id}`;
      const message = "The worker running this was lost and no attempt is left";
      await prisma.$transaction([
        prisma.run.updateMany({
          where: { id: run.id, status: "RUNNING" },
          data: { status: "FAILED", finishedAt: new Date(), error: message },
        }),
        prisma.runLog.create({
          data: { runId: run.id, organizationId: run.organizationId, level: "error", message },
        }),
      ]);
      failed.push(run.id);
    }
  }
  return { retried, failed };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The demo long job: `steps` steps of `stepMs` each; `failAtStep` throws to show FAILED. */
export const demoRunKind = defineRunKind({
  input: z.object({
    steps: z.number().int().min(1).max(1000).default(5),
    stepMs: z.number().int().min(0).max(600_000).default(1000),
    failAtStep: z.number().int().min(1).optional(),
  }),
  async execute(ctx) {
    const { steps, stepMs, failAtStep } = ctx.input;
    const first = Math.floor((ctx.resumeFrom * steps) / 100) + 1;
    await ctx.checkpoint(
      ctx.resumeFrom,
      first > 1 ? `Resuming at step ${first}/${steps}` : `Starting ${steps} steps`,
    );
    for (let step = first; step <= steps; step++) {
      await sleep(stepMs, ctx.signal);
      if (step === failAtStep) throw new Error(`Step ${step} failed (demo failure)`);
      await ctx.checkpoint(Math.round((step * 100) / steps), `Step ${step}/${steps} done`);
    }
    return { steps, completedAt: new Date().toISOString() };
  },
});

async function addLog(
  prisma: PrismaClient,
  runId: string,
  organizationId: string,
  message: string,
  level = "info",
) {
  await prisma.runLog.create({ data: { runId, organizationId, message, level } });
}

export async function executeRun(
  payload: { runId: string; organizationId: string },
  ctx: RunEngineContext,
  kinds: Readonly<Record<string, RunKind>>,
): Promise<void> {
  const { prisma } = ctx;
  const { runId, organizationId } = payload;
  const run = await prisma.run.findUnique({ where: { id: runId } });
  if (!run || run.organizationId !== organizationId) {
    ctx.log.warn({ runId, organizationId }, "run not found; nothing to do");
    return;
  }
  if (run.status !== "QUEUED" && run.status !== "RUNNING") return;
  // The end state and its closing log line are one transaction: whoever sees the run
  // finished also sees why (the run page and the tests read both).
  const finish = (
    status: "SUCCEEDED" | "FAILED" | "CANCELED",
    data: Prisma.RunUpdateManyMutationInput = {},
    log?: { message: string; level?: string },
  ) =>
    prisma.$transaction([
      prisma.run.updateMany({
        where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
        data: { status, finishedAt: new Date(), ...data },
      }),
      ...(log
        ? [
            prisma.runLog.create({
              data: { runId, organizationId, message: log.message, level: log.level ?? "info" },
            }),
          ]
        : []),
    ]);
  if (run.cancelRequestedAt) {
    await finish("CANCELED", {}, { message: "Canceled before start" });
    return;
  }
  const kind = kinds[run.kind];
  if (!kind) {
    await finish("FAILED", { error: `Unknown run kind "${run.kind}"` });
    return;
  }
  // A concurrency-limited kind starts only with a free slot: the count and the start share one
  // transaction under a per-organization advisory lock, so two workers cannot both take the
  // last slot. Without one, the job comes back later and the run stays QUEUED.
  const limitName = kind.concurrencyLimit;
  const max =
    limitName && ctx.resolveLimit && run.status === "QUEUED"
      ? await ctx.resolveLimit(organizationId, limitName)
      : null;
  const started = await prisma.$transaction(async (tx) => {
    if (max !== null) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${organizationId}:runs:${run.kind}`}))`;
      const running = await tx.run.count({
        where: { organizationId, kind: run.kind, status: "RUNNING", id: { not: runId } },
      });
      if (running >= max) return "wait" as const;
    }
    const updated = await tx.run.updateMany({
      where: { id: runId, status: { in: ["QUEUED", "RUNNING"] }, cancelRequestedAt: null },
      data: { status: "RUNNING", startedAt: run.startedAt ?? new Date() },
    });
    return updated.count === 0 ? ("gone" as const) : ("started" as const);
  });
  if (started === "gone") return; // canceled in the meantime
  if (started === "wait") {
    const retryAt = new Date(Date.now() + (ctx.slotRetryMs ?? 1_000));
    await enqueueSystem(prisma, jobs.runExecute, { runId, organizationId }, { runAt: retryAt });
    return;
  }
  const input = kind.input.safeParse(run.input);
  if (!input.success) {
    await finish("FAILED", { error: `Invalid input: ${formatIssues(input.error.issues)}` });
    return;
  }

  const runCtx: RunContext<unknown> = {
    runId,
    organizationId,
    prisma,
    appUrl: ctx.appUrl ?? "http://localhost:3000",
    input: input.data,
    resumeFrom: run.status === "RUNNING" ? run.progress : 0,
    signal: ctx.signal,
    log: (message, level = "info") => addLog(prisma, runId, organizationId, message, level),
    checkpoint: async (progress, message) => {
      const current = await prisma.run.findUnique({
        where: { id: runId },
        select: { cancelRequestedAt: true, status: true },
      });
      if (!current || current.cancelRequestedAt || current.status !== "RUNNING")
        throw new RunCanceledError();
      await prisma.run.update({
        where: { id: runId },
        data: { progress: Math.max(0, Math.min(100, Math.round(progress))) },
      });
      if (message) await addLog(prisma, runId, organizationId, message);
    },
  };

  // The heartbeat recoverStaleRuns reads: a run whose worker died stops beating.
  const heartbeat = setInterval(() => {
    void prisma.run
      .updateMany({ where: { id: runId, status: "RUNNING" }, data: { updatedAt: new Date() } })
      .catch(() => undefined);
  }, ctx.heartbeatMs ?? RUN_HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const result = await kind.execute(runCtx);
    await finish("SUCCEEDED", { progress: 100, result }, { message: "Succeeded" });
  } catch (error) {
    if (error instanceof RunCanceledError) {
      await finish("CANCELED", {}, { message: "Canceled" });
      return;
    }
    // Forced shutdown: leave the run RUNNING; the job is retried and resumes from its progress.
    if (ctx.signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    await finish("FAILED", { error: message }, { message: `Failed: ${message}`, level: "error" });
  } finally {
    clearInterval(heartbeat);
  }
}
