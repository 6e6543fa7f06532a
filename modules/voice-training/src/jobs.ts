// The module's jobs: the daily purge of recordings past their company's retention
// (./retention.ts), and the after-end pipeline of a practice session (./after-end.ts):
// voiceTraining.finalizeTranscript (enqueued in the transaction that ends the session)
// transcribes what the live path did not, then enqueues voiceTraining.analyzeSession (the
// feedback revision). One job key per session and job: a second end while the job waits
// replaces it instead of adding one. Cron payloads carry graphile-worker's `_cron` metadata
// (its `ts` is the time the run stands for), hence `loose()`.
import { defineJob } from "@plinth/jobs";
import { z } from "zod";

/** Which session, of which organization: the handler reads it under that tenant only. */
const sessionPayload = z.object({
  organizationId: z.string().min(1).max(64),
  sessionId: z.string().min(1).max(64),
});
export type SessionJobPayload = z.output<typeof sessionPayload>;

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
  finalizeTranscript: defineJob({
    name: "voiceTraining.finalizeTranscript",
    payload: sessionPayload,
    jobKey: (payload) => `voiceTraining.finalizeTranscript:${payload.sessionId}`,
    maxAttempts: 3,
  }),
  analyzeSession: defineJob({
    name: "voiceTraining.analyzeSession",
    payload: sessionPayload,
    jobKey: (payload) => `voiceTraining.analyzeSession:${payload.sessionId}`,
    maxAttempts: 3,
  }),
};
