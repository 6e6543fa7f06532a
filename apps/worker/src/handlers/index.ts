import { jobs } from "@plinth/jobs";
import {
  deleteCustomerHandler,
  dunningHandler,
  processStripeEventHandler,
  reconcileHandler,
  reportUsageHandler,
} from "./billing.ts";
import {
  buildDataExportHandler,
  eraseDataExportsHandler,
  purgeDataExportsHandler,
} from "./data-exports.ts";
import { sendEmailHandler } from "./email.ts";
import { purgeExpiredTokensHandler } from "./purge.ts";
import { executeRunHandler } from "./runs.ts";
import { trialRemindersHandler } from "./trial-reminders.ts";
import { usagePartitionsHandler, usageRollupHandler } from "./usage.ts";
import { deliverWebhookHandler } from "./webhooks.ts";
import { registerJob, type HandlerMap, type RegisteredJob } from "./types.ts";

export const handlers: HandlerMap = {
  "email.send": sendEmailHandler,
  "run.execute": executeRunHandler,
  "cron.trialReminders": trialRemindersHandler,
  "cron.purgeExpiredTokens": purgeExpiredTokensHandler,
  "billing.processStripeEvent": processStripeEventHandler,
  "billing.reconcile": reconcileHandler,
  "billing.reportUsage": reportUsageHandler,
  "billing.dunning": dunningHandler,
  "billing.deleteCustomer": deleteCustomerHandler,
  "usage.rollup": usageRollupHandler,
  "usage.partitions": usagePartitionsHandler,
  "webhook.deliver": deliverWebhookHandler,
  "account.dataExport": buildDataExportHandler,
  "account.dataExportErase": eraseDataExportsHandler,
  "cron.purgeDataExports": purgeDataExportsHandler,
};

/** Every core job bound to its handler (overrides replace individual handlers). */
export function registeredJobs(overrides: Partial<HandlerMap> = {}): RegisteredJob[] {
  const map: HandlerMap = { ...handlers, ...overrides };
  return (Object.keys(jobs) as (keyof typeof jobs)[]).map((key) => {
    const definition = jobs[key];
    return registerJob(definition, map[definition.name] as never);
  });
}

export * from "./types.ts";
