// The run engine behind the run.execute job: drives a Run row through QUEUED → RUNNING →
// SUCCEEDED | FAILED | CANCELED. Each run kind (core's demo; modules register theirs in their
// worker entry) supplies its input schema and an execute function that reports progress
// through checkpoints; a checkpoint records progress and a log line and stops the run when
// cancellation was requested. Creating and cancelling runs: ./runs.ts.
import type { Logger } from "@plinth/core/logger";
import { type Prisma, type PrismaClient } from "@plinth/db";
import { z } from "zod";
import { formatIssues } from "./define.ts";

export class RunCanceledError extends Error {
  override readonly name = "RunCanceledError";
}

export interface RunContext<TInput> {
  runId: string;
  organizationId: string;
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
  const started = await prisma.run.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] }, cancelRequestedAt: null },
    data: { status: "RUNNING", startedAt: run.startedAt ?? new Date() },
  });
  if (started.count === 0) return; // canceled in the meantime

  const kind = kinds[run.kind];
  if (!kind) {
    await finish("FAILED", { error: `Unknown run kind "${run.kind}"` });
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
  }
}
