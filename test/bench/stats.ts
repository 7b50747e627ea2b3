// Small statistics for benchmark runs: the median and the range, and the formats we print.

export interface Summary {
  median: number
  min: number
  max: number
  runs: number[]
}

export function summarize (values: number[]): Summary {
  if (values.length === 0) throw new Error('no runs to summarize')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: values }
}

/** MB/s with MB = 10^6 bytes, as transfer rates are usually quoted. */
export const megabytesPerSecond = (bytes: number, seconds: number): number => bytes / 1e6 / seconds

export const formatSummary = (s: Summary, digits = 1): string =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`

export const formatMiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`
