import { describe, expect, it } from 'vitest'
import type { ViewEvent } from '../../../src/cli/view/state.js'
import { renderSummary, summarize } from '../../../src/cli/view/summary.js'
import { stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'
import { fold, KiB, metadata, MiB, peer, stats, T0 } from './fixtures.js'

const SEED = 'aa'.repeat(32)
const LEECH = 'bb'.repeat(32)
const LATE = 'cc'.repeat(32)

/** A download as the session reports it: a seeder and a leecher serve us, the leecher leaves
 *  and comes back, a third peer only fetches from us, one piece fails its hash. */
const RECORDED: ViewEvent[] = [
  { type: 'status', data: { status: 'fetching-metadata', previous: 'opening' } },
  { type: 'peer-add', data: { id: SEED } },
  metadata(16, 256 * KiB),
  { type: 'peer-add', data: { id: LEECH } },
  { type: 'peer-stats', data: [peer(SEED, { downloaded: 1 * MiB, seed: true }), peer(LEECH, { downloaded: 256 * KiB })] },
  { type: 'piece-failed', data: { piece: 3, from: [LEECH], blamed: [] } },
  { type: 'peer-remove', data: { id: LEECH, reason: 'closed', stats: peer(LEECH, { downloaded: 512 * KiB, uploaded: 100 * KiB }) } },
  { type: 'peer-add', data: { id: LEECH } },
  { type: 'peer-add', data: { id: LATE } },
  { type: 'peer-stats', data: [peer(SEED, { downloaded: 2.5 * MiB, seed: true }), peer(LEECH, { downloaded: 512 * KiB }), peer(LATE, { uploaded: 1 * MiB })] },
  { type: 'stats', data: stats({ have: 16, pieceCount: 16, downloaded: 3.5 * MiB, uploaded: 1124 * KiB, hashFailures: 1, peers: 3 }) },
  { type: 'done', data: { path: '/downloads/holiday.mp4', totalBytes: 4 * MiB - 1000, downloaded: 3.5 * MiB, uploaded: 1124 * KiB, seconds: 7 } }
]

describe('summary', () => {
  it('works out the figures from a recorded event sequence', () => {
    const s = summarize(fold(RECORDED), T0 + 7_000)
    expect(s).toMatchObject({
      outcome: 'complete',
      name: 'holiday.mp4',
      path: '/downloads/holiday.mp4',
      seconds: 7,
      downloadSeconds: 7,
      downloaded: 3.5 * MiB,
      uploaded: 1124 * KiB,
      contributors: 2,
      fetchers: 2,
      hashFailures: 1,
      have: 16,
      pieceCount: 16
    })
    expect(s.averageDownloadRate).toBeCloseTo((3.5 * MiB) / 7)
    expect(s.ratio).toBeCloseTo(1124 / 3584)
    // The leecher's bytes over both its connections: 0.5 MiB + 0.5 MiB of 3.5 MiB.
    expect(s.fromOthers).toBeCloseTo(1 / 3.5)
  })

  it('counts a seeding run after the download in the time, not in the download rate', () => {
    const s = summarize(fold(RECORDED), T0 + 67_000)
    expect(s.seconds).toBe(67)
    expect(s.downloadSeconds).toBe(7)
    expect(s.averageDownloadRate).toBeCloseTo((3.5 * MiB) / 7)
  })

  it('a seeder that served and never downloaded has no ratio and no share from others', () => {
    const s = summarize(fold([metadata(16), { type: 'peer-stats', data: [peer(LATE, { uploaded: 4 * MiB })] }], 'share'), T0 + 10_000)
    expect(s).toMatchObject({ outcome: 'stopped', downloaded: 0, ratio: null, fromOthers: null, contributors: 0, fetchers: 1 })
  })

  it('an interrupted download says how far it got', () => {
    const state = fold(RECORDED.slice(0, 6))
    expect(summarize(state, T0 + 1000).outcome).toBe('interrupted')
    expect(stripAnsi(renderSummary(state, T0 + 1000, 79, true)[0]!)).toMatch(/holiday\.mp4 interrupted at 0%/)
  })

  it.each([40, 80, 200])('renders every figure within %i columns', (columns) => {
    const lines = renderSummary(fold(RECORDED), T0 + 7_000, columns - 1, true)
    for (const line of lines.filter((l) => !l.includes('saved to'))) expect(visibleWidth(line)).toBeLessThan(columns)
    const text = lines.map(stripAnsi).join('\n')
    expect(text).toMatch(/✔ holiday\.mp4 complete/)
    expect(text).toContain('saved to      /downloads/holiday.mp4')
    expect(text).toMatch(/time +7\.0s/)
    expect(text).toMatch(/average +↓ 512\.0 KiB\/s\s+↑ 160\.6 KiB\/s/)
    expect(text).toMatch(/downloaded +3\.50 MiB/)
    expect(text).toMatch(/uploaded +1\.10 MiB/)
    expect(text).toMatch(/ratio +0\.31/)
    expect(text).toMatch(/peers +2 contributed,\s+2 fetched from us/)
    expect(text).toMatch(/from others +28%/)
    expect(text).toMatch(/hash failures +1/)
  })
})
