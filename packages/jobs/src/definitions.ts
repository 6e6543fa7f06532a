// The core jobs, in one registry (email, runs, crons, billing, usage). Modules declare their own jobs
// with defineJob in their module definition; the worker registers core + enabled modules' jobs
// (apps/worker, @plinth/product/worker), and the type checker demands a handler for each.
import { z } from "zod";
import { defineJob, type JobDefinition } from "./define.ts";

const id = z.string().min(1).max(191);
const noPayload = z.object({}).loose();

export const jobs = {
  emailSend: defineJob({ name: "email.send", payload: z.object({ emailId: id }), maxAttempts: 10 }),
  runExecute: defineJob({
    name: "run.execute",
    payload: z.object({ runId: id, organizationId: id }),
    maxAttempts: 5,
  }),
  // Cron payloads carry graphile-worker's `_cron` metadata, hence `loose()`.
  trialReminders: defineJob({ name: "cron.trialReminders", payload: noPayload, maxAttempts: 3 }),
  purgeExpiredTokens: defineJob({
    name: "cron.purgeExpiredTokens",
    payload: noPayload,
    maxAttempts: 3,
  }),
  // Personal data exports (handlers: apps/worker/src/handlers/data-exports.ts; logic:
  // @plinth/platform/data-exports): build one user's zip; delete the zips of an erased account
  // (enqueued by the erasure's transaction); expire the zips past their link's lifetime.
  dataExportBuild: defineJob({
    name: "account.dataExport",
    payload: z.object({ exportId: id }),
    queue: "account.dataExport",
    maxAttempts: 3,
  }),
  dataExportErase: defineJob({
    name: "account.dataExportErase",
    payload: z.object({ storageKeys: z.array(z.string().min(1).max(512)).max(1000) }),
    maxAttempts: 10,
  }),
  purgeDataExports: defineJob({
    name: "cron.purgeDataExports",
    payload: noPayload,
    maxAttempts: 3,
  }),
  // Billing (handlers: apps/worker/src/handlers/billing.ts; logic: @plinth/billing).
  billingProcessStripeEvent: defineJob({
    name: "billing.processStripeEvent",
    payload: z.object({ eventId: z.string().min(1).max(255) }),
    maxAttempts: 10,
  }),
  billingReconcile: defineJob({
    name: "billing.reconcile",
    payload: noPayload,
    queue: "billing.reconcile",
    maxAttempts: 3,
  }),
  billingReportUsage: defineJob({
    name: "billing.reportUsage",
    payload: z.object({ organizationId: id.optional() }).loose(),
    queue: "billing.usage",
    maxAttempts: 5,
  }),
  // A deleted organization's customer at its billing provider: enqueued in the deletion's
  // transaction, so an outage is retried (the handler is idempotent). The payload names the
  // provider's ids because the organization's rows are gone when it runs.
  billingDeleteCustomer: defineJob({
    name: "billing.deleteCustomer",
    payload: z.object({
      organizationId: id,
      provider: z.enum(["stripe", "razorpay", "local"]),
      customerId: z.string().min(1).max(255).nullable(),
      subscriptionIds: z.array(z.string().min(1).max(255)).max(100),
    }),
    maxAttempts: 25,
  }),
  billingDunning: defineJob({ name: "billing.dunning", payload: noPayload, maxAttempts: 3 }),
  // Usage metering (handlers: apps/worker/src/handlers/usage.ts; logic: @plinth/metering).
  // One queue: a run never waits on another's advisory lock.
  usageRollup: defineJob({
    name: "usage.rollup",
    payload: noPayload,
    queue: "usage.maintenance",
    maxAttempts: 3,
  }),
  usagePartitions: defineJob({
    name: "usage.partitions",
    payload: noPayload,
    queue: "usage.maintenance",
    maxAttempts: 5,
  }),
  // Outbound webhooks (logic: @plinth/webhooks): one attempt of one delivery. The delivery row
  // keeps its own retry schedule (a new job per attempt); the job's attempts only cover crashes.
  webhookDeliver: defineJob({
    name: "webhook.deliver",
    payload: z.object({ deliveryId: id }),
    maxAttempts: 3,
  }),
} as const satisfies Record<string, JobDefinition>;

export type Jobs = typeof jobs;
export type JobKey = keyof Jobs;
export type JobName = Jobs[JobKey]["name"];

export const jobDefinitions: readonly Jobs[JobKey][] = Object.values(jobs);

const byName = new Map<string, Jobs[JobKey]>(jobDefinitions.map((job) => [job.name, job]));
if (byName.size !== jobDefinitions.length) throw new Error("Two job definitions share a name.");

export function findJob(name: string): Jobs[JobKey] | undefined {
  return byName.get(name);
}
