// Request latency as a histogram with logarithmic buckets, sixteen per
// doubling (each about 4% wide) from 1 ms up; bucket 0 holds what took under
// 1 ms (workerd's clock counts whole milliseconds, so small times are exact).
// Histograms add up, so each isolate keeps its own and RequestMetrics sums
// them: percentiles over every isolate without keeping a single sample.

/** Bucket index → how many requests fell in it. */
export type Buckets = Record<number, number>;

const PER_DOUBLING = 16;

export function bucketOf(ms: number): number {
  return ms < 1 ? 0 : 1 + Math.floor(PER_DOUBLING * Math.log2(ms));
}

/** The upper edge of a bucket, in ms: a percentile is reported as its bucket's edge. */
export function bucketCeiling(bucket: number): number {
  return bucket === 0 ? 0 : 2 ** (bucket / PER_DOUBLING);
}

/** The level-q quantile (0 < q ≤ 1) of a histogram, as its bucket's upper edge in whole ms. */
export function quantile(buckets: [bucket: number, count: number][], q: number): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, n]) => sum + n, 0);
  let seen = 0;
  for (const [bucket, n] of sorted) {
    seen += n;
    if (seen >= q * total) return Math.round(bucketCeiling(bucket));
  }
  return 0;
}
