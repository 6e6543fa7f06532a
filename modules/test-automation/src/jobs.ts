// The module's jobs: the minute tick that starts scheduled suite runs. graphile-worker's cron
// fires it once a minute (its payload's `_cron.ts` is the minute); suites whose cron matches
// that minute get one run per period (a conditional update of lastScheduledFor decides).
import { defineJob } from "@plinth/jobs";
import { z } from "zod";

export const testJobs = {
  scheduleTick: defineJob({
    name: "testAutomation.scheduleTick",
    payload: z
      .object({
        _cron: z
          .object({ ts: z.string().max(64) })
          .loose()
          .optional(),
      })
      .loose(),
    maxAttempts: 3,
  }),
};
