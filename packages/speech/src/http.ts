// What the HTTP adapters (OpenAI, Deepgram, ElevenLabs) share: the options every one takes, one
// retry loop (the policy and Retry-After handling of @plinth/ai: 429/5xx/timeouts/connection
// failures retried with backoff, other 4xx never, a Retry-After above the cap fails fast with
// `retryAfterMs`, cancelling stops a wait) and error messages scrubbed of the key.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  retryAfterMs,
  scrubSecret,
  type RetryPolicy,
} from "@plinth/ai";
import type { Logger } from "@plinth/core/logger";
import { ProviderError, SpeechRequestError, type ProviderErrorCode } from "./errors.ts";

export const httpAdapterOptionsSchema = z.object({
  /** The platform's key or an organization's own (from the vault): always passed in. */
  apiKey: z.string().trim().min(1),
  baseURL: z.url({ protocol: /^https?$/ }),
  /** Whole-request deadline per attempt (audio uploads are short; no streaming here). */
  timeoutMs: z.number().int().positive().default(60_000),
  retry: z
    .object({
      maxRetries: z.number().int().min(0).max(10),
      baseDelayMs: z.number().int().min(0),
      maxDelayMs: z.number().int().min(0),
      maxRetryAfterMs: z.number().int().min(0),
    })
    .partial()
    .default({}),
});

export interface AdapterRuntime {
  /** Retries and failures are logged here (never the key). */
  logger?: Logger | undefined;
  /** Jitter source (tests). */
  random?: (() => number) | undefined;
}

/** Parses adapter options; a failure names the bad fields only (never echoes the key). */
export function parseAdapterOptions<Schema extends z.ZodType>(
  adapter: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))];
    throw new SpeechRequestError(`Invalid ${adapter} options: ${fields.join(", ")}`);
  }
  return parsed.data;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 429) return "rate_limited";
  if (isRetryableStatus(status)) return "provider_unavailable";
  if (status === 401 || status === 403) return "authentication_failed";
  return "request_rejected";
}

const RETRIED_IN_PLACE: readonly ProviderErrorCode[] = [
  "rate_limited",
  "provider_unavailable",
  "timeout",
  "connection_failed",
];

export const TIMED_OUT = Symbol("timed out");

export interface RetryContext {
  provider: string;
  apiKey: string;
  timeoutMs: number;
  retry: Partial<RetryPolicy>;
  signal: AbortSignal | undefined;
  runtime: AdapterRuntime;
  /** Turns what an attempt threw into a ProviderError (the adapter knows its SDK's errors). */
  classify: (error: unknown, attempt: AttemptState) => ProviderError;
}

export interface AttemptState {
  attempt: number;
  timedOut: boolean;
  scrub: (text: string) => string;
}

/** `classify` for plain HTTP adapters: anything thrown is "<service> failed", key scrubbed. */
export function unavailableAfterError(provider: string, service: string): RetryContext["classify"] {
  return (error, { scrub }) =>
    new ProviderError(
      "provider_unavailable",
      `${service} failed: ${error instanceof Error ? scrub(error.message) : "unknown error"}`,
      { provider },
    );
}

/** Runs `call` with a per-attempt deadline and retries; its signal aborts on timeout or cancel. */
export async function withRetries<T>(
  context: RetryContext,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T; attempts: number }> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...context.retry };
  const { provider, signal, runtime } = context;
  const scrub = (text: string) => scrubSecret(text, context.apiKey);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelled(provider, attempt);
    const controller = new AbortController();
    const cancel = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", cancel, { once: true });
    const timer = setTimeout(() => controller.abort(TIMED_OUT), context.timeoutMs);
    let failure: ProviderError;
    try {
      return { value: await call(controller.signal), attempts: attempt };
    } catch (error) {
      failure = signal?.aborted
        ? cancelled(provider, attempt)
        : controller.signal.reason === TIMED_OUT
          ? new ProviderError(
              "timeout",
              `${provider} did not answer within ${context.timeoutMs} ms`,
              { provider, attempts: attempt },
            )
          : error instanceof ProviderError
            ? error.withAttempts(attempt)
            : context.classify(error, { attempt, timedOut: false, scrub }).withAttempts(attempt);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", cancel);
    }
    const delayMs = retryDelay(failure, attempt, policy, runtime.random);
    const fields = { provider, attempt, code: failure.code, status: failure.status };
    if (delayMs === undefined) {
      runtime.logger?.warn({ ...fields, error: failure.message }, "speech provider call failed");
      throw failure;
    }
    runtime.logger?.warn(
      { ...fields, error: failure.message, delayMs },
      "speech provider call failed; retrying",
    );
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      throw cancelled(provider, attempt);
    }
  }
}

function retryDelay(
  failure: ProviderError,
  attempt: number,
  policy: RetryPolicy,
  random: (() => number) | undefined,
): number | undefined {
  if (!RETRIED_IN_PLACE.includes(failure.code) || attempt > policy.maxRetries) return undefined;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs > policy.maxRetryAfterMs ? undefined : failure.retryAfterMs;
  }
  return backoffDelayMs(attempt, policy, random);
}

function cancelled(provider: string, attempt: number): ProviderError {
  return new ProviderError("cancelled", `The ${provider} call was cancelled`, {
    provider,
    attempts: attempt,
  });
}

/**
 * fetch() that turns a non-2xx answer into a ProviderError (status, Retry-After, the provider's
 * message scrubbed and cut short) and a network failure into `connection_failed`.
 */
export async function fetchOk(
  provider: string,
  url: string,
  init: RequestInit & { signal: AbortSignal },
  apiKey: string,
): Promise<Response> {
  const scrub = (text: string) => scrubSecret(text, apiKey);
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (init.signal.aborted) throw error; // withRetries names it (timeout or cancelled)
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const message = cause instanceof Error ? cause.message : "network error";
    throw new ProviderError("connection_failed", `Could not reach ${provider}: ${scrub(message)}`, {
      provider,
    });
  }
  if (response.ok) return response;
  const body = await response.text().catch(() => "");
  throw new ProviderError(
    codeForStatus(response.status),
    `${provider} answered ${response.status}${body ? `: ${scrub(body).slice(0, 300)}` : ""}`,
    { provider, status: response.status, retryAfterMs: retryAfterMs(response.headers) },
  );
}
