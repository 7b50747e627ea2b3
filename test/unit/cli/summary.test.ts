import { describe, expect, it } from 'vitest'
import { BitswarmError } from '../../../src/errors.js'
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

  const TIMED_OUT: ViewEvent = { type: 'end', data: { outcome: 'timed-out' } }
  const title = (events: ViewEvent[]): string => stripAnsi(renderSummary(fold(events), T0 + 4000, null, false)[0]!)

  it.each([
    ['no peer ever connected', [TIMED_OUT], 'timed-out', '✘ timed out: no peer reached; nothing downloaded'],
    ['a peer that never sent the metadata', [{ type: 'peer-add', data: { id: SEED } }, TIMED_OUT] as ViewEvent[], 'timed-out', '✘ timed out: no peer sent the metadata; nothing downloaded'],
    ['the metadata, then nothing', [...RECORDED.slice(0, 3), TIMED_OUT], 'timed-out', '✘ holiday.mp4 timed out at 0%, nothing received (it resumes on the next get)'],
    ['a stall after some pieces', [...RECORDED.slice(0, 5), { type: 'stats', data: stats({ have: 4, pieceCount: 16, downloaded: MiB }) }, TIMED_OUT] as ViewEvent[], 'timed-out', '✘ holiday.mp4 timed out at 25% (it resumes on the next get)'],
    ['a signal before the metadata', [], 'interrupted', '■ interrupted before the metadata arrived; nothing downloaded'],
    ['a failure before the metadata', [{ type: 'end', data: { outcome: 'failed' } }] as ViewEvent[], 'failed', '✘ failed before the metadata arrived; nothing downloaded']
  ])('a download that ends by %s: outcome %s, a title that says so', (_what, events, outcome, shown) => {
    expect(summarize(fold(events), T0 + 4000).outcome).toBe(outcome)
    expect(title(events)).toBe(shown)
  })

  it('the command\'s own ending outranks a share stopping and a session error', () => {
    expect(summarize(fold([metadata(4), TIMED_OUT], 'share'), T0).outcome).toBe('timed-out')
    expect(summarize(fold([{ type: 'error', data: new BitswarmError('ERR_IO', 'disk full') }]), T0).outcome).toBe('failed')
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
