// The voice-training module's worker adapter: the daily purge of recordings past their
// company's retention (./retention.ts) and the after-end pipeline of a practice session
// (./after-end.ts: finish the transcript, then the feedback), with each company's adapters
// (./providers.ts). A job's last failed attempt marks its status FAILED.
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker, type ModuleJobContext } from "@plinth/platform/worker";
import {
  analyzeEndedSession,
  finalizeTranscript,
  markAfterEndFailed,
  type AfterEndDeps,
} from "./after-end.ts";
import { voiceEnv } from "./env.ts";
import { voiceTrainingModule } from "./index.ts";
import { type SessionJobPayload, type voiceJobs } from "./jobs.ts";
import { createVoiceProviderResolver, type VoiceProviderResolver } from "./providers.ts";
import { purgeExpiredRecordings } from "./retention.ts";

export interface VoiceWorkerSettings {
  /** The company's adapters (default: a resolver over voiceEnv(), made once per process). */
  providers: AfterEndDeps["providers"];
  /** Days a recording is kept without a company setting (PRACTICE_RETENTION_DAYS). */
  retentionDays: number;
}

/** Runs one after-end stage; after the last attempt's failure, its status is FAILED. */
async function afterEnd(
  stage: "transcript" | "feedback",
  run: (deps: AfterEndDeps, payload: SessionJobPayload) => Promise<unknown>,
  settings: VoiceWorkerSettings,
  payload: SessionJobPayload,
  ctx: ModuleJobContext,
): Promise<void> {
  try {
    const outcome = await run(
      { prisma: ctx.prisma, providers: settings.providers, log: ctx.log, signal: ctx.signal },
      payload,
    );
    ctx.log.info({ ...payload, result: outcome }, `practice ${stage} job done`);
  } catch (error) {
    if (ctx.job.isFinalAttempt) await markAfterEndFailed(ctx.prisma, payload, stage);
    throw error;
  }
}

/** The handlers with their settings (tests pass their own adapters). */
export function voiceHandlers(
  settings: () => VoiceWorkerSettings,
): HandlersFor<typeof voiceJobs, ModuleJobContext> {
  return {
    "voiceTraining.purgeRecordings": async (payload, ctx) => {
      const ts = payload._cron?.ts ? new Date(payload._cron.ts) : new Date();
      const now = Number.isNaN(ts.getTime()) ? new Date() : ts;
      const outcome = await purgeExpiredRecordings(ctx.prisma, {
        now,
        defaultDays: settings().retentionDays,
      });
      ctx.log.info(outcome, "purged expired practice recordings");
    },
    "voiceTraining.finalizeTranscript": (payload, ctx) =>
      afterEnd("transcript", finalizeTranscript, settings(), payload, ctx),
    "voiceTraining.analyzeSession": (payload, ctx) =>
      afterEnd("feedback", analyzeEndedSession, settings(), payload, ctx),
  };
}

let resolver: VoiceProviderResolver | undefined;

export const worker = defineModuleWorker(voiceTrainingModule, {
  handlers: voiceHandlers(() => ({
    providers: (resolver ??= createVoiceProviderResolver(voiceEnv())),
    retentionDays: voiceEnv().PRACTICE_RETENTION_DAYS,
  })),
});
