// Runs: long work users can watch (status, progress, log lines) and cancel, over the run
// engine in @plinth/jobs. The worker's run.execute job updates the row; the UI polls getRun.
import { notFound } from "@plinth/core/errors";
import type { Prisma } from "@plinth/db";
import { createRun, getRun as readRun, requestCancel } from "@plinth/jobs";
import type { MemberScope, OrgScope } from "../scope.ts";

/** What the run list shows of a run (getRun adds input, result and logs). */
const runSummary = {
  id: true,
  kind: true,
  status: true,
  progress: true,
  createdAt: true,
  finishedAt: true,
} as const;

/** Starts a run of a kind the product registers (run kinds are declared by modules). */
export function startRun(
  scope: MemberScope,
  input: { kind: string; input: Prisma.InputJsonObject },
) {
  if (!scope.product.runKinds.includes(input.kind)) throw notFound("Run kind");
  return scope.db.transaction(async (tx) => {
    const run = await createRun(tx, {
      organizationId: scope.organization.id,
      kind: input.kind,
      input: input.input,
      createdById: scope.actor.user.id,
    });
    const { id, kind, status, progress, createdAt, finishedAt } = run;
    return { id, kind, status, progress, createdAt, finishedAt };
  });
}

export async function getRun(scope: OrgScope, input: { runId: string; logLimit: number }) {
  const run = await scope.db.transaction((tx) =>
    readRun(tx, input.runId, { logLimit: input.logLimit }),
  );
  if (!run || run.organizationId !== scope.organization.id) throw notFound("Run");
  return run;
}

export function listRuns(scope: OrgScope) {
  return scope.db.client.run.findMany({
    orderBy: { createdAt: "desc" },
    take: 20,
    select: runSummary,
  });
}

/** The handler sees the request at its next checkpoint; a queued run is canceled at once. */
export async function cancelRun(scope: OrgScope, input: { runId: string }) {
  const run = await scope.db.transaction(async (tx) => {
    const existing = await tx.run.findFirst({
      where: { id: input.runId, organizationId: scope.organization.id },
    });
    if (!existing) throw notFound("Run");
    return requestCancel(tx, existing.id);
  });
  if (!run) throw notFound("Run");
  return { id: run.id, status: run.status, cancelRequestedAt: run.cancelRequestedAt };
}
