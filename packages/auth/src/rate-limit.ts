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
export async function hitRateLimit(system: PrismaClient, key: string, rule: RateLimitRule): Promise<RateLimitResult> {
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
