// The sliding-window counter (the algorithm Cloudflare and others describe), refined: each
// key keeps, for the current fixed window and the one before it, the count and the times of
// its first and last counted request. A request at `now` sees
//
//     estimate = previous × weight + current
//     weight   = share of [first, last] of the previous window still inside (now − w, now]
//
// (1 before `first` + w, 0 from `last` + w, linear between) and is allowed when
// estimate + cost ≤ limit (then current += cost). The textbook form spreads the previous
// window's count over the whole fixed window; spreading it over [first, last] is exact for a
// burst (all at one instant), the same for steady traffic, and — what the headers need —
// every counted request has weighed out one window after it was made: waiting `w` seconds
// always frees the quota, so Retry-After and the RateLimit `t` are never above the window.
// (The textbook form answered `t` up to 2 w, and a Retry-After above w after an early burst.)
// A few numbers per key instead of a log of timestamps, and no burst of 2 × limit across a
// window edge as a fixed window allows.
//
// Why by hand: rate-limiter-flexible (checked at 11.4) counts fixed windows only; its
// "sliding" options spread or delay requests, they do not weigh the previous window.
//
// The stores (memory, Redis) only keep counts atomically; this file turns counts into the
// answer, so both stores answer identically (the stores run `admits` / the same formula).

export interface RateLimitPolicy {
  /** Shown in the RateLimit-Policy header ("api", "ip"). A token: [a-z0-9_-]. */
  name: string;
  /** Requests (units) allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** What a store returns after an atomic check-and-add. Times are ms since the epoch. */
export interface WindowCounts {
  /** Whether the cost was added (estimate + cost ≤ limit). */
  allowed: boolean;
  previous: number;
  /** The current window's count, including this request when allowed. */
  current: number;
  /** First and last counted request of the previous window (0 when it counted none). */
  previousFirst: number;
  previousLast: number;
  /** The same for the current window (including this request when allowed). */
  currentFirst: number;
  currentLast: number;
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
   * Seconds until the quota frees (the RateLimit header's `t`, X-RateLimit-Reset): refused,
   * the Retry-After; allowed, until the whole quota is back if no more requests come. Never
   * above the window.
   */
  resetSeconds: number;
  /** Refused: seconds until this request (same cost) would be allowed. Allowed: 0. */
  retryAfterSeconds: number;
  /** When the answer was made (the store's clock). */
  at: Date;
}

/** Share of a window's count [first, last] still inside a sliding window starting after `from`. */
export function weightAfter(first: number, last: number, from: number): number {
  if (from < first) return 1;
  if (from >= last) return 0;
  return (last - from) / (last - first);
}

/** Estimate of the units used in the sliding window (now − windowMs, now]. */
export function slidingEstimate(
  counts: Pick<WindowCounts, "previous" | "current" | "previousFirst" | "previousLast">,
  windowMs: number,
  now: number,
): number {
  const from = now - windowMs;
  return (
    counts.previous * weightAfter(counts.previousFirst, counts.previousLast, from) + counts.current
  );
}

export function toResult(
  counts: WindowCounts,
  policy: RateLimitPolicy,
  cost: number,
): RateLimitResult {
  const windowMs = policy.windowSeconds * 1000;
  const { now, previous, current } = counts;
  const estimate = slidingEstimate(counts, windowMs, now);
  const remaining = Math.max(0, Math.floor(policy.limit - estimate));
  // Everything counted has weighed out one window after the last counted request.
  const last =
    current > 0 ? counts.currentLast : previous > 0 ? counts.previousLast : now - windowMs;
  const resetMs = clamp(last + windowMs - now, windowMs);
  const retryMs = counts.allowed ? 0 : waitMs(counts, policy.limit, cost, windowMs);
  const retryAfterSeconds = counts.allowed
    ? 0
    : Number.isFinite(retryMs)
      ? Math.max(1, Math.ceil(clamp(retryMs, windowMs) / 1000))
      : Infinity;
  return {
    allowed: counts.allowed,
    policy,
    remaining: counts.allowed ? remaining : 0,
    resetSeconds:
      Number.isFinite(retryAfterSeconds) && !counts.allowed
        ? retryAfterSeconds
        : Math.ceil(resetMs / 1000),
    retryAfterSeconds,
    at: new Date(now),
  };
}

function clamp(ms: number, windowMs: number): number {
  return Math.min(windowMs, Math.max(0, ms));
}

/** How long until estimate + cost ≤ limit, with no further requests (at most one window). */
function waitMs(counts: WindowCounts, limit: number, cost: number, windowMs: number): number {
  const { now, previous, current } = counts;
  if (cost > limit) return Infinity;
  const room = limit - cost - current;
  // The count that must weigh out (the previous window's while this window has room, else
  // this window's, once it is the previous one), its span, and the share it may still weigh.
  const [count, first, last, share] =
    room >= 0
      ? [previous, counts.previousFirst, counts.previousLast, room / previous]
      : [current, counts.currentFirst, counts.currentLast, (limit - cost) / current];
  if (!(share < 1)) return 0;
  // weight(from) = (last − from) / (last − first) ≤ share  ⇔  from ≥ last − share × (last − first)
  const from = count > 0 ? last - share * (last - first) : now - windowMs;
  return Math.max(0, from + windowMs - now);
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
