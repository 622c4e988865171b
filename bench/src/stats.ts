/** The q-quantile (0..1) of a sample, nearest-rank. */
export function quantile(sample: readonly number[], q: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Formats milliseconds with a sensible precision. */
export function ms(value: number): string {
  return value < 10 ? value.toFixed(3) : value.toFixed(1);
}
