// The ai-tasks module's worker adapter: aiTasks.run, one attempt of one task (execute.ts),
// with the platform's provider settings from the environment (@plinth/ai/env) and the price
// table from AI_PRICES_JSON (env.ts).
import { aiEnv } from "@plinth/ai/env";
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker } from "@plinth/platform/worker";
import { executeTaskAttempt, type ExecuteDeps } from "./execute.ts";
import { aiTasksModule } from "./index.ts";
import { type aiTasksJobs } from "./jobs.ts";
import { aiPrices, aiTasksEnv } from "./env.ts";

/** The handlers with their settings (tests and the bench pass their own). */
export function aiTaskHandlers(
  settings: () => Omit<ExecuteDeps, "prisma" | "log">,
): HandlersFor<typeof aiTasksJobs> {
  return {
    "aiTasks.run": async (payload, ctx) => {
      try {
        await executeTaskAttempt(
          { ...settings(), prisma: ctx.prisma, log: ctx.log },
          payload,
          ctx.signal,
        );
      } catch (error) {
        // graphile-worker retries the job; after its last attempt the task must not stay RUNNING.
        if (ctx.job.isFinalAttempt) {
          await ctx.prisma.aiTask.updateMany({
            where: { id: payload.taskId, status: { in: ["QUEUED", "RUNNING"] } },
            data: {
              status: "FAILED",
              errorCode: "internal",
              errorMessage: "The task failed (see the worker log)",
              finishedAt: new Date(),
            },
          });
        }
        throw error;
      }
    },
  };
}

export const worker = defineModuleWorker(aiTasksModule, {
  handlers: aiTaskHandlers(() => ({
    env: aiEnv(),
    prices: aiPrices(),
    offlineTokenDelayMs: aiTasksEnv().AI_OFFLINE_TOKEN_DELAY_MS,
  })),
});
