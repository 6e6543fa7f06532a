// Runs: long work users can watch (status, progress, log lines) and cancel. The worker's
// run.execute job updates the row; the UI polls run.get.
import { z } from "zod";
import { createRun, getRun, requestCancel } from "@plinth/jobs";
import { notFound } from "../errors.ts";
import { cuid } from "../inputs.ts";
import { orgProcedure } from "../middleware/organization.ts";
import { createTRPCRouter } from "../trpc.ts";

const runId = cuid;
/** What run.list shows of a run (run.get adds input, result and logs). */
const runSummary = {
  id: true,
  kind: true,
  status: true,
  progress: true,
  createdAt: true,
  finishedAt: true,
} as const;

export const runRouter = createTRPCRouter({
  /** Starts the demo run (product modules add their own kinds). */
  start: orgProcedure
    .input(
      z.object({ kind: z.literal("demo"), steps: z.number().int().min(1).max(50).default(10) }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tx(async (tx) => {
        const run = await createRun(tx, {
          organizationId: ctx.org.id,
          kind: input.kind,
          input: { steps: input.steps },
          createdById: ctx.user.id,
        });
        const { id, kind, status, progress, createdAt, finishedAt } = run;
        return { id, kind, status, progress, createdAt, finishedAt };
      }),
    ),

  get: orgProcedure
    .input(z.object({ runId, logLimit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      const run = await ctx.tx((tx) => getRun(tx, input.runId, { logLimit: input.logLimit }));
      if (!run || run.organizationId !== ctx.org.id) throw notFound("Run");
      return run;
    }),

  list: orgProcedure.query(({ ctx }) =>
    ctx.orgDb.run.findMany({
      orderBy: { createdAt: "desc" },
      take: 20,
      select: runSummary,
    }),
  ),

  /** The handler sees the request at its next checkpoint; a queued run is canceled at once. */
  cancel: orgProcedure.input(z.object({ runId })).mutation(async ({ ctx, input }) => {
    const run = await ctx.tx(async (tx) => {
      const existing = await tx.run.findFirst({
        where: { id: input.runId, organizationId: ctx.org.id },
      });
      if (!existing) throw notFound("Run");
      return requestCancel(tx, existing.id);
    });
    if (!run) throw notFound("Run");
    return { id: run.id, status: run.status, cancelRequestedAt: run.cancelRequestedAt };
  }),
});
