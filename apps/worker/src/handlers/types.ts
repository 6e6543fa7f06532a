import { type Razorpay } from "@plinth/billing/razorpay/client";
import { type Stripe } from "@plinth/billing/stripe/client";
import { type EmailTransport } from "@plinth/email";
import {
  registerJob as bindJob,
  type JobContext,
  type JobDefinition,
  type JobHandler as BaseJobHandler,
  type Jobs,
  type RegisteredJob as BaseRegisteredJob,
  type RunKind,
} from "@plinth/jobs";
import type { ProductRuntime } from "@plinth/platform";
import type { DataExportConfig } from "@plinth/platform/data-exports";

export type { JobInfo } from "@plinth/jobs";

/** What the worker's own (core) handlers get: the job context plus the worker's services. */
export interface HandlerContext extends JobContext {
  emailTransport?: EmailTransport | undefined;
  /** Billing: the Stripe client (null: local provider) and the past-due grace period. */
  billing: WorkerBillingConfig;
  /** Usage metering: how many months of raw usage_events the partition job keeps. */
  usage: WorkerUsageConfig;
  /** The product this worker runs (catalog, run kinds). */
  product: ProductRuntime;
  /** Executors of every run kind of the product (core's demo + the modules'). */
  runKinds: Readonly<Record<string, RunKind>>;
  /** Data export store and link settings (default: from the environment). */
  dataExports?: DataExportConfig | undefined;
  /** Run engine timings (tests make them short). */
  runEngine?: { heartbeatMs?: number; slotRetryMs?: number } | undefined;
}

export interface WorkerBillingConfig {
  stripe: Stripe | null;
  /** Set when Razorpay is configured (a deleted organization's subscriptions are cancelled). */
  razorpay?: Razorpay | null;
  pastDueGraceDays: number;
}

export interface WorkerUsageConfig {
  /** Months of usage_events kept before the current one (USAGE_EVENTS_RETENTION_MONTHS). */
  retentionMonths: number;
}

export type JobHandler<TJob extends JobDefinition> = BaseJobHandler<TJob, HandlerContext>;

/** One handler per core job; the type checker demands a handler for a new one. */
export type HandlerMap = { [K in keyof Jobs as Jobs[K]["name"]]: JobHandler<Jobs[K]> };

/** A job with its handler, type-erased behind a parse step. */
export type RegisteredJob = BaseRegisteredJob<HandlerContext>;

export function registerJob<TJob extends JobDefinition>(
  definition: TJob,
  handler: JobHandler<TJob>,
): RegisteredJob {
  return bindJob(definition, handler);
}
