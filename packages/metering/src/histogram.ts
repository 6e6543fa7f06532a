// Fixed latency buckets: every rollup row carries `latency_histogram`, the number of calls per
// bucket below, so p50/p95 of any set of rows (an endpoint over a day, a key over a month)
// come from adding their histograms element-wise — no raw events, no t-digest.
// Bucket i holds LATENCY_BUCKETS_MS[i-1] ≤ latency < LATENCY_BUCKETS_MS[i] (PostgreSQL's
// width_bucket with these thresholds); bucket 0 is below the first bound, the last one at or
// above the last bound. Changing the bounds changes the meaning of stored histograms: add a
// migration that rebuilds the rollups if you do.
export const LATENCY_BUCKETS_MS = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
] as const;

/** Length of every latency_histogram array. */
export const HISTOGRAM_LENGTH = LATENCY_BUCKETS_MS.length + 1;

export type Histogram = readonly (number | bigint)[];

export function bucketOf(latencyMs: number): number {
  let bucket = 0;
  while (bucket < LATENCY_BUCKETS_MS.length && latencyMs >= LATENCY_BUCKETS_MS[bucket]!) bucket++;
  return bucket;
}

export function addHistograms(a: Histogram, b: Histogram): number[] {
  return Array.from(
    { length: Math.max(a.length, b.length) },
    (_, i) => Number(a[i] ?? 0) + Number(b[i] ?? 0),
  );
}

/**
 * The latency at quantile `q` (0 < q ≤ 1), interpolated linearly inside its bucket; null for
 * an empty histogram. The open-ended last bucket answers its lower bound (a floor).
 */
export function histogramQuantile(histogram: Histogram, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new Error("q must be in (0, 1]");
  const counts = histogram.map(Number);
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    if (n === 0 || seen + n < rank) {
      seen += n;
      continue;
    }
    const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
    const upper = LATENCY_BUCKETS_MS[i];
    if (upper === undefined) return lower;
    return lower + ((rank - seen) / n) * (upper - lower);
  }
  return LATENCY_BUCKETS_MS.at(-1)!;
}
