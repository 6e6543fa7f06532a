// The retry schedule of a delivery: after attempt n fails, the next one waits RETRY_DELAYS[n-1]
// with ±20% jitter (so endpoints that fail together are not retried in lock-step). Eight
// attempts over about 23 hours; then the delivery is FAILED (a person can replay it).
export const RETRY_DELAYS_MS = [
  5_000, // 5 s
  30_000, // 30 s
  2 * 60_000, // 2 min
  10 * 60_000, // 10 min
  60 * 60_000, // 1 h
  6 * 60 * 60_000, // 6 h
  16 * 60 * 60_000, // 16 h
] as const;

export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.2;

/** When attempt `attempts + 1` runs, after `attempts` failed ones; null: no more attempts. */
export function nextAttemptAt(attempts: number, now: Date, random = Math.random): Date | null {
  const base = RETRY_DELAYS_MS[attempts - 1];
  if (base === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * random();
  return new Date(now.getTime() + Math.round(base * factor));
}
