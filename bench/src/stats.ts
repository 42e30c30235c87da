/** The summary of one series of timings, in milliseconds. */
export interface Summary {
  readonly n: number
  readonly median: number
  readonly p95: number
  readonly min: number
  readonly max: number
}

/** The value at quantile `q` (0 to 1) of sorted `values`, linearly interpolated. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

/** Median, 95th percentile, min and max of `values`. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    throw new Error('cannot summarize an empty series')
  }
  const sorted = [...values].sort((a, b) => a - b)
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  }
}
