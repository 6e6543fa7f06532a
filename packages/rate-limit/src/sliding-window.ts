// The sliding-window counter (the algorithm Cloudflare and others describe): each key keeps
// the count of the current fixed window and of the one before it; a request at fraction f of
// the current window sees
//
//     estimate = previous × (1 − f) + current
//
// and is allowed when estimate + cost ≤ limit (then current += cost). Two integers per key
// instead of a log of timestamps, and no burst of 2 × limit across a window edge as a fixed
// window allows. It assumes the previous window's requests were spread evenly — the
// estimate is exact for steady traffic and within one window's skew otherwise.
//
// Why by hand: rate-limiter-flexible (checked at 11.4) counts fixed windows only; its
// "sliding" options spread or delay requests, they do not weigh the previous window.
//
// The stores (memory, Redis) only keep counts atomically; this file turns counts into the
// answer, so both stores answer identically.

export interface RateLimitPolicy {
  /** Shown in the RateLimit-Policy header ("api", "ip"). A token: [a-z0-9_-]. */
  name: string;
  /** Requests (units) allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** What a store returns after an atomic check-and-add. */
export interface WindowCounts {
  /** Whether the cost was added (estimate + cost ≤ limit). */
  allowed: boolean;
  previous: number;
  /** The current window's count, including this request when allowed. */
  current: number;
  /** The store's clock (ms since the epoch) at the check: Redis's, for every instance alike. */
  now: number;
}

export interface RateLimitStore {
  /** Atomically: roll the windows forward, decide, add the cost if allowed. */
  hit(key: string, policy: RateLimitPolicy, cost: number): Promise<WindowCounts>;
}

export interface RateLimitResult {
  allowed: boolean;
  policy: RateLimitPolicy;
  /** Units still allowed now (0 when refused). */
  remaining: number;
  /**
   * Seconds until the quota is back to `limit` if no more requests come (the RateLimit
   * header's `t`): when the current window's count has fully slid out.
   */
  resetSeconds: number;
  /** Refused: seconds until this request (same cost) would be allowed. Allowed: 0. */
  retryAfterSeconds: number;
  /** When the answer was made (the store's clock). */
  at: Date;
}

/** Estimate of the units used in the sliding window ending at `now`. */
export function slidingEstimate(
  counts: Pick<WindowCounts, "previous" | "current">,
  windowMs: number,
  now: number,
): number {
  const elapsed = (now % windowMs) / windowMs;
  return counts.previous * (1 - elapsed) + counts.current;
}

export function toResult(
  counts: WindowCounts,
  policy: RateLimitPolicy,
  cost: number,
): RateLimitResult {
  const windowMs = policy.windowSeconds * 1000;
  const { now, previous, current } = counts;
  const windowEnd = now - (now % windowMs) + windowMs;
  const estimate = slidingEstimate(counts, windowMs, now);
  const remaining = Math.max(0, Math.floor(policy.limit - estimate));
  // The current window's count weighs in fully until windowEnd, then slides out over one
  // more window; the previous one is gone by windowEnd.
  const resetMs = current > 0 ? windowEnd + windowMs - now : previous > 0 ? windowEnd - now : 0;
  return {
    allowed: counts.allowed,
    policy,
    remaining: counts.allowed ? remaining : 0,
    resetSeconds: Math.ceil(resetMs / 1000),
    retryAfterSeconds: counts.allowed
      ? 0
      : Math.max(1, Math.ceil(waitMs(counts, policy.limit, cost, windowMs) / 1000)),
    at: new Date(now),
  };
}

/** How long until estimate + cost ≤ limit, with no further requests. */
function waitMs(counts: WindowCounts, limit: number, cost: number, windowMs: number): number {
  const { now, previous, current } = counts;
  const windowStart = now - (now % windowMs);
  if (cost > limit) return Infinity;
  const room = limit - cost - current;
  if (room >= 0) {
    // In this window: previous × (1 − f) ≤ room  ⇔  f ≥ 1 − room / previous.
    if (previous === 0) return 0;
    const f = Math.max(0, 1 - room / previous);
    return Math.max(0, windowStart + f * windowMs - now);
  }
  // In the next window, where `current` becomes the previous one: current × (1 − f) ≤ limit − cost.
  const f = Math.max(0, 1 - (limit - cost) / current);
  return windowStart + windowMs + f * windowMs - now;
}

const POLICY_NAME = /^[a-z0-9_-]{1,32}$/;

export function assertPolicy(policy: RateLimitPolicy): void {
  if (!POLICY_NAME.test(policy.name))
    throw new Error(`Invalid rate-limit policy name "${policy.name}"`);
  if (!Number.isInteger(policy.limit) || policy.limit < 1)
    throw new Error("limit must be a positive integer");
  if (!Number.isInteger(policy.windowSeconds) || policy.windowSeconds < 1) {
    throw new Error("windowSeconds must be a positive integer");
  }
}

export interface RateLimiterOptions {
  store: RateLimitStore;
  /** Used while `store` fails (e.g. Redis down): a per-instance memory store. */
  fallback?: RateLimitStore;
  onStoreError?: (error: unknown) => void;
}

export interface RateLimiter {
  /** Checks and counts `cost` units (default 1) for `key` under `policy`. */
  consume(key: string, policy: RateLimitPolicy, cost?: number): Promise<RateLimitResult>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return {
    async consume(key, policy, cost = 1) {
      assertPolicy(policy);
      let counts: WindowCounts;
      try {
        counts = await options.store.hit(key, policy, cost);
      } catch (error) {
        if (!options.fallback) throw error;
        options.onStoreError?.(error);
        counts = await options.fallback.hit(key, policy, cost);
      }
      return toResult(counts, policy, cost);
    },
  };
}
