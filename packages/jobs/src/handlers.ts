// Binding a job definition to its handler: the payload is parsed against the job's schema
// before the handler runs (a payload that does not match never reaches it). The worker binds
// core jobs (apps/worker) and every enabled module's (their worker.ts, through
// @plinth/product/worker) the same way.
import type { Logger } from "@plinth/core/logger";
import type { PrismaClient } from "@plinth/db";
import { parsePayload, type JobDefinition, type JobPayload } from "./define.ts";

export interface JobInfo {
  id: string;
  name: string;
  attempt: number;
  maxAttempts: number;
  isFinalAttempt: boolean;
}

/** What every job handler gets; the worker adds its own services (email, billing). */
export interface JobContext {
  /** The privileged (system) client: the worker acts across tenants, by design. */
  prisma: PrismaClient;
  /** This job's logger: job name, id and attempt bound. */
  log: Logger;
  job: JobInfo;
  /** Aborted when the worker is forced to stop (shutdown timeout exceeded). */
  signal: AbortSignal;
  /** Base URL of the web app, for links in emails. */
  appUrl: string;
}

export type JobHandler<TJob extends JobDefinition, TContext extends JobContext = JobContext> = (
  payload: JobPayload<TJob>,
  ctx: TContext,
) => Promise<void>;

/** A job with its handler, type-erased behind a parse step. */
export interface RegisteredJob<TContext extends JobContext = JobContext> {
  definition: JobDefinition;
  /** Parses the raw payload (throws InvalidJobPayloadError) and returns the bound handler. */
  prepare(rawPayload: unknown): (ctx: TContext) => Promise<void>;
}

export function registerJob<TJob extends JobDefinition, TContext extends JobContext>(
  definition: TJob,
  handler: JobHandler<TJob, TContext>,
): RegisteredJob<TContext> {
  return {
    definition,
    prepare: (rawPayload) => {
      const payload = parsePayload(definition, rawPayload);
      return (ctx) => handler(payload, ctx);
    },
  };
}

/**
 * One handler per job of `jobs` (a module's jobs object), keyed by job name; `TContext`: what
 * the handlers receive (a module worker's ModuleJobContext).
 */
export type HandlersFor<
  TJobs extends Record<string, JobDefinition>,
  TContext extends JobContext = JobContext,
> = {
  [K in keyof TJobs as TJobs[K]["name"]]: JobHandler<TJobs[K], TContext>;
};
