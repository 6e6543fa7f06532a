// The voice-training module's worker adapter: the daily purge of recordings past their
// company's retention (./retention.ts).
import type { HandlersFor } from "@plinth/jobs";
import { defineModuleWorker } from "@plinth/platform/worker";
import { voiceEnv } from "./env.ts";
import { voiceTrainingModule } from "./index.ts";
import { type voiceJobs } from "./jobs.ts";
import { purgeExpiredRecordings } from "./retention.ts";

const handlers = {
  "voiceTraining.purgeRecordings": async (payload, ctx) => {
    const ts = payload._cron?.ts ? new Date(payload._cron.ts) : new Date();
    const now = Number.isNaN(ts.getTime()) ? new Date() : ts;
    const outcome = await purgeExpiredRecordings(ctx.prisma, {
      now,
      defaultDays: voiceEnv().PRACTICE_RETENTION_DAYS,
    });
    ctx.log.info(outcome, "purged expired practice recordings");
  },
} satisfies HandlersFor<typeof voiceJobs>;

export const worker = defineModuleWorker(voiceTrainingModule, { handlers });
