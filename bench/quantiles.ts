// Quantiles for the benches' samples: the value at rank ceil(q·n), of a copy sorted ascending.

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

/** Rounded to a thousandth (a microsecond, for milliseconds). */
export const round = (n: number) => Math.round(n * 1000) / 1000;

export const stats = (values: number[]) => ({
  p50: round(quantile(values, 0.5)),
  p99: round(quantile(values, 0.99)),
});
