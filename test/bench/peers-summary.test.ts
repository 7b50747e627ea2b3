import { describe, expect, it } from 'vitest'
import { cpuSecondsFromStat, formatPeers, orderForRun, type PeersRow } from './peers-summary.js'
import { summarize } from './stats.js'

describe('cpuSecondsFromStat', () => {
  it('adds utime and stime, even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 123 456 789'
    expect(cpuSecondsFromStat(stat)).toBeCloseTo(3.25)
  })
  it('refuses text that is not a stat line', () => {
    expect(() => cpuSecondsFromStat('(x) S')).toThrow()
  })
})

describe('orderForRun', () => {
  it('starts each run from a different implementation, each once per run', () => {
    const firsts = [0, 1, 2].map((r) => orderForRun(r)[0])
    expect(new Set(firsts).size).toBe(3)
    for (const r of [0, 1, 2, 3]) expect([...orderForRun(r)].sort()).toEqual(['bitswarm', 'raw', 'webtorrent'])
  })
})

describe('formatPeers', () => {
  const row = (downloaders: number, implementation: PeersRow['implementation'], runs: number[]): PeersRow =>
    ({ downloaders, implementation, seconds: summarize(runs), sharerRssMB: 90, getRssMB: 80, sharerCpuSeconds: 1.5, getCpuSeconds: 2 })
  const text = formatPeers([
    row(1, 'bitswarm', [4, 5, 6]), row(1, 'webtorrent', [10, 10, 10]), row(1, 'raw', [3, 3, 3]),
    row(4, 'bitswarm', [9, 9, 9]), row(4, 'webtorrent', [10, 10, 10])
  ], '256 MiB')
  it('prints one table row per case and implementation, with median (min–max)', () => {
    expect(text).toContain('| 1→1 | bitswarm | 5.00 (4.00–6.00) | 90 | 80 | 1.50 | 2.00 |')
    expect(text.split('\n').filter((l) => l.startsWith('| 1→'))).toHaveLength(5)
  })
  it('reports the ratios against the 0.85 goal', () => {
    expect(text).toContain('1→1: bitswarm / WebTorrent 0.50 (goal ≤ 0.85: met); raw / WebTorrent 0.30')
    expect(text).toContain('1→4: bitswarm / WebTorrent 0.90 (goal ≤ 0.85: not met)')
  })
})
