// The ai-tasks module's jobs (declared in index.ts, handled in worker.ts).
import { z } from "zod";
import { defineJob } from "@plinth/jobs";

export const aiTasksJobs = {
  /**
   * One attempt of one task. Retries of a failed attempt (429, 5xx, timeouts, output that
   * does not match the schema) are new jobs with their own run_at (Retry-After or backoff);
   * graphile-worker's own attempts only cover a worker that crashed mid-call.
   */
  run: defineJob({
    name: "aiTasks.run",
    payload: z.object({
      taskId: z.string().min(1).max(25),
      organizationId: z.uuid(),
      attempt: z.number().int().min(1).max(100),
    }),
    maxAttempts: 3,
  }),
} as const;

/** Attempts of one task (provider failures and invalid output), first one included. */
export const MAX_TASK_ATTEMPTS = 3;
