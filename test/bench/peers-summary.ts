// Pure parts of the `peers` case (issue 14): CPU seconds from /proc/<pid>/stat, the interleaved
// order of implementations per run, and the table with the "bitswarm / WebTorrent" ratios.

import { formatSummary, type Summary } from './stats.js'

export const IMPLEMENTATIONS = ['bitswarm', 'webtorrent', 'raw'] as const
export type Implementation = typeof IMPLEMENTATIONS[number]
/** The goal: bitswarm takes at most this share of WebTorrent's time, in both cases. */
export const GOAL_RATIO = 0.85

/** user+sys CPU seconds from the text of /proc/<pid>/stat (fields 14 and 15, in clock ticks). */
export function cpuSecondsFromStat (stat: string, ticksPerSecond = 100): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(rest[11])
  const stime = Number(rest[12])
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc/<pid>/stat')
  return (utime + stime) / ticksPerSecond
}

/** Run i starts from a different implementation each time, so no one always goes first on a warm cache. */
export function orderForRun (run: number): Implementation[] {
  const n = IMPLEMENTATIONS.length
  const shift = run % n
  return [...IMPLEMENTATIONS.slice(shift), ...IMPLEMENTATIONS.slice(0, shift)]
}

export interface PeersRow {
  downloaders: number
  implementation: Implementation
  seconds: Summary
  /** Highest peak RSS (MB) over the runs, for the sharer and for the worst downloader. */
  sharerRssMB: number
  getRssMB: number
  /** Median CPU seconds (user+sys) of the sharer and summed over the downloaders. */
  sharerCpuSeconds: number
  getCpuSeconds: number
}

/** WebTorrent's client options in the bench (webtorrent-peer.ts): everything that would reach
 *  beyond the addresses the harness hands over is off, and uTP too (TCP only). */
export const WEBTORRENT_SETTINGS = {
  dht: false,
  tracker: false,
  lsd: false,
  utPex: false,
  utp: false,
  natUpnp: false,
  natPmp: false,
  webSeeds: false
} as const

export const ratio = (a: Summary, b: Summary): number => a.median / b.median

export function formatPeers (rows: PeersRow[], note: string): string {
  const lines = [note, '', '| case | implementation | time s, median (min–max) | sharer RSS MB | get RSS MB | sharer CPU s | gets CPU s |', '|---|---|---|---|---|---|---|']
  for (const r of rows) {
    lines.push(`| 1→${r.downloaders} | ${r.implementation} | ${formatSummary(r.seconds, 2)} | ${r.sharerRssMB.toFixed(0)} | ${r.getRssMB.toFixed(0)} | ${r.sharerCpuSeconds.toFixed(2)} | ${r.getCpuSeconds.toFixed(2)} |`)
  }
  lines.push('')
  for (const n of [...new Set(rows.map((r) => r.downloaders))]) {
    const of = (i: Implementation): PeersRow | undefined => rows.find((r) => r.downloaders === n && r.implementation === i)
    const b = of('bitswarm'); const w = of('webtorrent'); const raw = of('raw')
    if (b === undefined || w === undefined) continue
    const x = ratio(b.seconds, w.seconds)
    const rawPart = raw === undefined ? '' : `; raw / WebTorrent ${ratio(raw.seconds, w.seconds).toFixed(2)}`
    lines.push(`1→${n}: bitswarm / WebTorrent ${x.toFixed(2)} (goal ≤ ${GOAL_RATIO}: ${x <= GOAL_RATIO ? 'met' : 'not met'})${rawPart}`)
  }
  return lines.join('\n')
}
