// The hosting module's run kind: provisioning, updating and destroying a workspace on the core
// run engine (executor: ./executor.ts); and its cron job, hosting.syncAccess (./access.ts):
// suspends the workspaces of organizations that may only read, resumes them when they may write,
// then reconciles every paid organization's workspace items (./billing.ts); hosting.syncItems:
// one organization's items set to its committed workspaces (enqueued where a workspace stops or
// starts counting outside a request: a provision failed, the operator's retry);
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
  syncItems: defineJob({
    name: "hosting.syncItems",
    payload: z.object({ organizationId: z.string().min(1).max(64) }),
    // One pending sync per organization: it recounts when it runs, so later ones add nothing.
    jobKey: (payload) => `hosting.syncItems:${payload.organizationId}`,
    maxAttempts: 5,
  }),
  syncAccess: defineJob({ name: "hosting.syncAccess", payload: cronPayload, maxAttempts: 3 }),
  checkDomains: defineJob({ name: "hosting.checkDomains", payload: cronPayload, maxAttempts: 3 }),
};
