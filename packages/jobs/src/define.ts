// Jobs are data: a name, a zod schema for the payload and queue options. The same definition
// is used by the enqueuer (validates before inserting) and by the worker (parses before the
// handler runs), so a payload that does not match the schema never reaches a handler.
import type { z } from "zod";

export interface JobOptions<TPayload> {
  /** Attempts before the job is kept as permanently failed (graphile-worker default: 25). */
  maxAttempts?: number;
  /** Named queue: jobs in one queue run one at a time. Keep the number of names small. */
  queue?: string;
  /** Deduplication key: enqueueing again with the same key replaces the waiting job. */
  jobKey?: (payload: TPayload) => string;
  /** Smaller runs first (graphile-worker default: 0). */
  priority?: number;
}

export interface JobDefinition<
  TName extends string = string,
  TSchema extends z.ZodType = z.ZodType,
> extends JobOptions<z.output<TSchema>> {
  readonly name: TName;
  readonly payload: TSchema;
}

/** The payload a caller passes to `enqueue` (before zod defaults/transforms). */
export type JobInput<TJob extends JobDefinition> = z.input<TJob["payload"]>;
/** The payload a handler receives (after zod parsing). */
export type JobPayload<TJob extends JobDefinition> = z.output<TJob["payload"]>;

const JOB_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/;

export function defineJob<const TName extends string, TSchema extends z.ZodType>(
  definition: { name: TName; payload: TSchema } & JobOptions<z.output<TSchema>>,
): JobDefinition<TName, TSchema> {
  if (!JOB_NAME.test(definition.name) || definition.name.length > 128) {
    throw new Error(
      `Invalid job name "${definition.name}": use dotted camelCase, e.g. "email.send".`,
    );
  }
  if (
    definition.maxAttempts !== undefined &&
    (!Number.isInteger(definition.maxAttempts) || definition.maxAttempts < 1)
  ) {
    throw new Error(`Job "${definition.name}": maxAttempts must be a positive integer.`);
  }
  return Object.freeze({ ...definition });
}

export class InvalidJobPayloadError extends Error {
  override readonly name = "InvalidJobPayloadError";
  constructor(
    readonly jobName: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`Invalid payload for job "${jobName}": ${formatIssues(issues)}`);
  }
}

export class UnknownJobError extends Error {
  override readonly name = "UnknownJobError";
  constructor(readonly jobName: string) {
    super(`Unknown job "${jobName}": no handler is registered for it.`);
  }
}

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map(
      (issue) =>
        `${issue.path.length ? issue.path.map(String).join(".") : "(root)"}: ${issue.message}`,
    )
    .join("; ");
}

/** Parses a payload against the job's schema or throws InvalidJobPayloadError. */
export function parsePayload<TJob extends JobDefinition>(
  job: TJob,
  payload: unknown,
): JobPayload<TJob> {
  const result = job.payload.safeParse(payload);
  if (!result.success) throw new InvalidJobPayloadError(job.name, result.error.issues);
  return result.data as JobPayload<TJob>;
}
