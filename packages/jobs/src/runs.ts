// Runs: user-visible long work with its own status/progress row. These functions receive a
// transaction already scoped to the tenant (tenantTransaction / scopedClient), so row-level
// security decides what they can see; they add no organization filter of their own beyond
// what the row itself carries.
import { type Prisma, type RunStatus, type TransactionClient } from "@plinth/db";
import { z } from "zod";
import { jobs } from "./definitions.ts";
import { enqueue } from "./enqueue.ts";

export const runKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, "lowercase kind, e.g. demo");

export interface CreateRunInput {
  organizationId: string;
  kind: string;
  input?: Prisma.InputJsonValue;
  createdById?: string | null;
}

export interface RunLogLine {
  id: string;
  level: string;
  message: string;
  createdAt: Date;
}

export interface RunView {
  id: string;
  organizationId: string;
  kind: string;
  status: RunStatus;
  progress: number;
  input: Prisma.JsonValue;
  result: Prisma.JsonValue | null;
  error: string | null;
  cancelRequestedAt: Date | null;
  createdById: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  logs: RunLogLine[];
}

/** The columns a RunView shows (all of them today: a run holds nothing secret). */
const runViewSelect = {
  id: true,
  organizationId: true,
  kind: true,
  status: true,
  progress: true,
  input: true,
  result: true,
  error: true,
  cancelRequestedAt: true,
  createdById: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.RunSelect;

/** Inserts a QUEUED run and its run.execute job in the caller's transaction. */
export async function createRun(tx: TransactionClient, input: CreateRunInput) {
  const kind = runKindSchema.parse(input.kind);
  const run = await tx.run.create({
    data: {
      organizationId: input.organizationId,
      kind,
      input: input.input ?? {},
      createdById: input.createdById ?? null,
    },
  });
  await enqueue(tx, jobs.runExecute, { runId: run.id, organizationId: run.organizationId });
  return run;
}

/**
 * Asks a run to stop. A run still QUEUED is canceled at once; a RUNNING one gets
 * `cancelRequestedAt` and the worker stops it at its next checkpoint. Finished runs are left
 * as they are. Returns null when the run is not visible (absent or another tenant's).
 */
export async function requestCancel(tx: TransactionClient, runId: string) {
  const now = new Date();
  // Conditional updates, so a worker starting the run at the same moment cannot be overwritten:
  // whichever update commits first wins, the other matches no row.
  const queued = await tx.run.updateMany({
    where: { id: runId, status: "QUEUED" },
    data: { status: "CANCELED", cancelRequestedAt: now, finishedAt: now },
  });
  if (queued.count === 0) {
    await tx.run.updateMany({
      where: { id: runId, status: "RUNNING", cancelRequestedAt: null },
      data: { cancelRequestedAt: now },
    });
  }
  return tx.run.findUnique({ where: { id: runId } });
}

/** The run with its latest log lines (oldest first). */
export async function getRun(
  tx: TransactionClient,
  runId: string,
  options: { logLimit?: number } = {},
): Promise<RunView | null> {
  const run = await tx.run.findUnique({ where: { id: runId }, select: runViewSelect });
  if (!run) return null;
  const logs = await tx.runLog.findMany({
    where: { runId },
    orderBy: { id: "desc" },
    take: Math.min(Math.max(options.logLimit ?? 50, 1), 500),
  });
  return {
    ...run,
    logs: logs.reverse().map((log) => ({
      id: String(log.id),
      level: log.level,
      message: log.message,
      createdAt: log.createdAt,
    })),
  };
}
