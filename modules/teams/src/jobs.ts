// The teams module's jobs (declared in index.ts, handled in worker.ts).
import { z } from "zod";
import { defineJob } from "@plinth/jobs";

export const teamsJobs = {
  // Cron payloads carry graphile-worker's `_cron` metadata, hence `loose()`.
  purgeExpiredInvitations: defineJob({
    name: "teams.purgeExpiredInvitations",
    payload: z.object({}).loose(),
    maxAttempts: 3,
  }),
} as const;
