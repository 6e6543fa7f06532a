// The module's jobs: the daily purge of recordings past their company's retention
// (./retention.ts). Cron payloads carry graphile-worker's `_cron` metadata (its `ts` is the
// time the run stands for), hence `loose()`.
import { defineJob } from "@plinth/jobs";
import { z } from "zod";

export const voiceJobs = {
  purgeRecordings: defineJob({
    name: "voiceTraining.purgeRecordings",
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
