// When and how long to wait before trying a provider call again: exponential backoff with
// jitter, or what the provider asked for in Retry-After (seconds or an HTTP date) /
// retry-after-ms (OpenAI's own header, milliseconds).

export interface RetryPolicy {
  /** Retries after the first attempt (0: none). */
  maxRetries: number;
  /** The first backoff; each further one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * The longest Retry-After waited for in place. A longer one is not slept through (it would
   * hold a worker slot): the call fails with `retryAfterMs` set so the job can be rescheduled.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** HTTP statuses worth retrying: rate limits and server errors. Other 4xx never. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

interface HeaderLookup {
  get(name: string): string | null;
}

/** The wait a response asks for, in ms (never negative), or undefined when it names none. */
export function retryAfterMs(
  headers: HeaderLookup | undefined,
  now = Date.now(),
): number | undefined {
  const milliseconds = headers?.get("retry-after-ms")?.trim();
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The backoff before retry number `retry` (1-based): base·2^(retry−1), capped, then "equal
 * jitter" (a random point in its upper half) so many clients hit by the same outage spread out
 * without ever retrying immediately.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
