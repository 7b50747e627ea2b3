// Numbers for people: binary units, as the piece sizes are.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
/** One-letter units for the narrow columns of the terminal view. */
const SHORT_UNITS = ['B', 'K', 'M', 'G', 'T']

export function formatBytes (bytes: number): string {
  const [value, unit] = scale(bytes)
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(Math.round(bytesPerSecond))}/s`

/** At most five characters: `512B`, `9.5K`, `312K`, `1.02M`. */
export function formatBytesShort (bytes: number): string {
  const [value, unit] = scale(Math.round(bytes))
  if (unit === 0) return `${value}B`
  return `${value.toFixed(value < 10 ? 1 : 0)}${SHORT_UNITS[unit]}`
}

export function formatPercent (have: number, total: number): string {
  return total === 0 ? '100%' : `${Math.floor((have / total) * 100)}%`
}

/** `4.2s`, `42s`, `3m05s`, `2h03m`. */
export function formatDuration (seconds: number): string {
  if (seconds < 10) return `${(Math.floor(seconds * 10) / 10).toFixed(1)}s`
  const s = Math.floor(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

function scale (bytes: number): [number, number] {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return [value, unit]
}
