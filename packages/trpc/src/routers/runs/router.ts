// Runs: long work users can watch (status, progress, log lines) and cancel.
import { getRunInput, runInput, startRunInput } from "@plinth/platform/contracts";
import * as runs from "@plinth/platform/runs";
import { orgProcedure } from "../../procedures.ts";
import { createTRPCRouter } from "../../trpc.ts";

export const runRouter = createTRPCRouter({
  /** Starts the demo run (modules start their own kinds from their own procedures). */
  start: orgProcedure
    .input(startRunInput)
    .mutation(({ ctx, input }) =>
      runs.startRun(ctx.scope, { kind: input.kind, input: { steps: input.steps } }),
    ),

  get: orgProcedure.input(getRunInput).query(({ ctx, input }) => runs.getRun(ctx.scope, input)),

  list: orgProcedure.query(({ ctx }) => runs.listRuns(ctx.scope)),

  /** The handler sees the request at its next checkpoint; a queued run is canceled at once. */
  cancel: orgProcedure
    .input(runInput)
    .mutation(({ ctx, input }) => runs.cancelRun(ctx.scope, input)),
});
