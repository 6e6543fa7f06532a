import { type Stripe } from "@plinth/billing/stripe/client";
import { type PrismaClient } from "@plinth/db";
import { type EmailTransport } from "@plinth/email";
import { parsePayload, type JobDefinition, type JobPayload, type Jobs } from "@plinth/jobs";
import type { Logger } from "@plinth/core/logger";

export interface JobInfo {
  id: string;
  name: string;
  attempt: number;
  maxAttempts: number;
  isFinalAttempt: boolean;
}

export interface HandlerContext {
  /** The privileged (system) client: the worker acts across tenants. */
  prisma: PrismaClient;
  /** This job's logger: job name, id and attempt bound. */
  log: Logger;
  job: JobInfo;
  /** Aborted when the worker is forced to stop (shutdown timeout exceeded). */
  signal: AbortSignal;
  emailTransport?: EmailTransport | undefined;
  appUrl: string;
  /** Billing: the Stripe client (null: local provider) and the past-due grace period. */
  billing: WorkerBillingConfig;
}

export interface WorkerBillingConfig {
  stripe: Stripe | null;
  pastDueGraceDays: number;
}

export type JobHandler<TJob extends JobDefinition> = (
  payload: JobPayload<TJob>,
  ctx: HandlerContext,
) => Promise<void>;

/** One handler per job in the registry; the type checker demands a handler for a new job. */
export type HandlerMap = { [K in keyof Jobs as Jobs[K]["name"]]: JobHandler<Jobs[K]> };

/** A job with its handler, type-erased behind a parse step. */
export interface RegisteredJob {
  definition: JobDefinition;
  /** Parses the raw payload (throws InvalidJobPayloadError) and returns the bound handler. */
  prepare(rawPayload: unknown): (ctx: HandlerContext) => Promise<void>;
}

export function registerJob<TJob extends JobDefinition>(
  definition: TJob,
  handler: JobHandler<TJob>,
): RegisteredJob {
  return {
    definition,
    prepare: (rawPayload) => {
      const payload = parsePayload(definition, rawPayload);
      return (ctx) => handler(payload, ctx);
    },
  };
}
