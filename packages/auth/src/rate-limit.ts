// Fixed-window attempt counters in PostgreSQL (the rate_limit_buckets table), for sign-in and
// sign-up throttling. One atomic statement per hit, so concurrent attempts count correctly.
// Free of `next`: the API package uses it too.
import type { PrismaClient } from "@plinth/db";

export interface RateLimitRule {
  /** Attempts allowed per window. */
  max: number;
  windowSeconds: number;
}

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

export const SIGN_IN_PER_EMAIL: RateLimitRule = { max: 10, windowSeconds: 15 * 60 };
export const SIGN_IN_PER_IP: RateLimitRule = { max: 50, windowSeconds: 15 * 60 };
export const SIGN_UP_PER_IP: RateLimitRule = { max: 20, windowSeconds: 60 * 60 };

/** Counts one attempt against `key` and says whether it is within the rule. */
export async function hitRateLimit(
  system: PrismaClient,
  key: string,
  rule: RateLimitRule,
): Promise<RateLimitResult> {
  const rows = await system.$queryRaw<{ count: number; reset_at: Date }[]>`
    INSERT INTO rate_limit_buckets (key, count, reset_at)
    VALUES (${key}, 1, now() + make_interval(secs => ${rule.windowSeconds}))
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.reset_at <= now() THEN 1 ELSE rate_limit_buckets.count + 1 END,
      reset_at = CASE WHEN rate_limit_buckets.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limit_buckets.reset_at END
    RETURNING count, reset_at`;
  const row = rows[0];
  if (!row) return { allowed: true, count: 0, retryAfterSeconds: 0 };
  const count = Number(row.count);
  return {
    allowed: count <= rule.max,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((row.reset_at.getTime() - Date.now()) / 1000)),
  };
}

/** Forgets a key's attempts (after a successful sign-in). */
export async function resetRateLimit(system: PrismaClient, key: string): Promise<void> {
  await system.rateLimitBucket.deleteMany({ where: { key } });
}

// ─── Brute-force throttles with growing delays ───────────────────────────────────────────
// The first `freeAttempts` attempts in a window go through; after that every attempt must
// wait a delay that doubles (base, 2×base, 4×base, … up to maxDelaySeconds) after the last
// one. An attempt made while blocked is refused and does not count. The key is the same
// whether or not an account exists, so throttling reveals nothing about accounts.

export interface BackoffRule {
  freeAttempts: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  windowSeconds: number;
}

/** Password sign-in, per account (the email as typed, normalised). */
export const SIGN_IN_BACKOFF_PER_ACCOUNT: BackoffRule = {
  freeAttempts: 5,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};
/** Password and magic-link sign-in, per client IP. */
export const SIGN_IN_BACKOFF_PER_IP: BackoffRule = {
  freeAttempts: 30,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};
/** "Forgot password" and magic-link emails, per account. */
export const RESET_REQUEST_BACKOFF_PER_ACCOUNT: BackoffRule = {
  freeAttempts: 3,
  baseDelaySeconds: 60,
  maxDelaySeconds: 60 * 60,
  windowSeconds: 60 * 60,
};
/** "Forgot password" requests and reset-token submissions, per client IP. */
export const RESET_BACKOFF_PER_IP: BackoffRule = {
  freeAttempts: 10,
  baseDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  windowSeconds: 60 * 60,
};

/** The delay imposed after the `attempt`-th attempt of a window (0: none). */
export function backoffDelaySeconds(rule: BackoffRule, attempt: number): number {
  if (attempt <= rule.freeAttempts) return 0;
  const exponent = Math.min(attempt - rule.freeAttempts - 1, 30);
  return Math.min(rule.maxDelaySeconds, rule.baseDelaySeconds * 2 ** exponent);
}

/** Counts one attempt against `key` unless it is blocked; blocked attempts are refused. */
export async function hitBackoff(
  system: PrismaClient,
  key: string,
  rule: BackoffRule,
): Promise<RateLimitResult> {
  const exponentCap = 30;
  const rows = await system.$queryRaw<
    { count: number; was_blocked: boolean | null; retry_after: number | null }[]
  >`
    WITH previous AS (SELECT blocked_until, reset_at FROM rate_limit_buckets WHERE key = ${key})
    INSERT INTO rate_limit_buckets AS b (key, count, reset_at, blocked_until)
    VALUES (${key}, 1, now() + make_interval(secs => ${rule.windowSeconds}),
            CASE WHEN 1 > ${rule.freeAttempts}::int THEN now() + make_interval(secs => ${rule.baseDelaySeconds}) END)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE
        WHEN b.reset_at <= now() THEN 1
        WHEN b.blocked_until > now() THEN b.count
        ELSE b.count + 1 END,
      reset_at = CASE WHEN b.reset_at <= now() THEN EXCLUDED.reset_at ELSE b.reset_at END,
      blocked_until = CASE
        WHEN b.reset_at <= now() THEN EXCLUDED.blocked_until
        WHEN b.blocked_until > now() THEN b.blocked_until
        WHEN b.count + 1 > ${rule.freeAttempts}::int THEN now() + make_interval(secs => least(
          ${rule.maxDelaySeconds}::float8,
          ${rule.baseDelaySeconds}::float8 * power(2, least(b.count + 1 - ${rule.freeAttempts}::int - 1, ${exponentCap}::int))))
        ELSE NULL END
    RETURNING b.count,
      (SELECT blocked_until > now() AND reset_at > now() FROM previous) AS was_blocked,
      ceil(greatest(0, extract(epoch FROM (b.blocked_until - now())) - 0.01))::float8 AS retry_after`;
  const row = rows[0];
  if (!row) return { allowed: true, count: 0, retryAfterSeconds: 0 };
  return {
    allowed: row.was_blocked !== true,
    count: Number(row.count),
    retryAfterSeconds: Number(row.retry_after ?? 0),
  };
}

/**
 * Takes back one attempt counted by `hitBackoff` (a successful sign-in): the per-IP throttle
 * is for guessing, and an office or a CI runner behind one address signs in many times an
 * hour without guessing anything. Back under the free attempts, the delay is lifted too.
 */
export async function refundBackoff(
  system: PrismaClient,
  key: string,
  rule: BackoffRule,
): Promise<void> {
  await system.$executeRaw`
    UPDATE rate_limit_buckets SET
      count = greatest(count - 1, 0),
      blocked_until = CASE WHEN count - 1 <= ${rule.freeAttempts}::int THEN NULL ELSE blocked_until END
    WHERE key = ${key} AND reset_at > now()`;
}
