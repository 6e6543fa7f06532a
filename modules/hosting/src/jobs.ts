// The hosting module's run kind: provisioning, updating and destroying a workspace on the core
// run engine (executor: ./executor.ts); and its cron job, hosting.syncAccess (./access.ts):
// suspends the workspaces of organizations that may only read, resumes them when they may write;
// and hosting.checkDomains (./domain-checks.ts): scheduled checks of custom domains.
// Cron payloads carry graphile-worker's `_cron` metadata (its `ts` is the time the run stands
// for), hence `loose()`.
import { defineJob } from "@plinth/jobs";
import { z } from "zod";

export const HOSTING_RUN_KIND = "hosting-provision";

const cronPayload = z
  .object({
    _cron: z
      .object({ ts: z.string().max(64) })
      .loose()
      .optional(),
  })
  .loose();

export const hostingJobs = {
  syncAccess: defineJob({ name: "hosting.syncAccess", payload: cronPayload, maxAttempts: 3 }),
  checkDomains: defineJob({ name: "hosting.checkDomains", payload: cronPayload, maxAttempts: 3 }),
};
