import { describe, expect, it } from 'vitest'
import { renderScreen } from '../../../src/cli/view/screen.js'
import { stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'
import { fold, metadata, midDownload, peer, stats } from './fixtures.js'

describe('the whole view', () => {
  it.each([40, 80, 200])('at %i columns: header, bar, piece map and peer rows, no line wider than the terminal', (columns) => {
    for (const colour of [false, true]) {
      const lines = renderScreen(midDownload(), { columns, rows: 30 }, colour)
      for (const line of lines) expect(visibleWidth(line)).toBeLessThan(columns)
      const text = lines.map(stripAnsi)
      expect(text[0]).toMatch(/^downloading +holiday\.mp4/)
      expect(text.join('')).toContain('bitswarm://3f5c')
      expect(text.some((l) => /^█+░+ 33% /.test(l))).toBe(true)
      expect(text.some((l) => /^[█▓▒░·]+$/.test(l) && l.length === columns - 1)).toBe(true)
      expect(text.filter((l) => /^(a1b2c3|e5f6a7|c9d0e1)/.test(l))).toHaveLength(3)
    }
  })

  it('colour changes no visible character', () => {
    const plain = renderScreen(midDownload(), { columns: 80, rows: 30 }, false)
    expect(renderScreen(midDownload(), { columns: 80, rows: 30 }, true).map(stripAnsi)).toEqual(plain)
  })

  it.each([[80, 8], [40, 5], [200, 3], [80, 1]])('at %i×%i fits the height, the bar and map first', (columns, rows) => {
    const lines = renderScreen(midDownload(1000, 40), { columns, rows }, false)
    expect(lines.length).toBeLessThanOrEqual(rows)
    expect(lines.some((l) => l.includes('%'))).toBe(true)
    for (const line of lines) expect(visibleWidth(line)).toBeLessThan(columns)
  })

  it('gives the remaining height to peers on a tall terminal, and says how many are left out', () => {
    const lines = renderScreen(midDownload(1000, 40), { columns: 100, rows: 20 }, false)
    expect(lines).toHaveLength(20)
    expect(lines.at(-2)).toMatch(/^… \d+ more peers$/)
  })

  it('before the metadata: what it waits for, and the peers already there', () => {
    const state = fold([
      { type: 'status', data: { status: 'fetching-metadata', previous: 'opening' } },
      { type: 'peer-add', data: { id: 'ab'.repeat(32) } },
      { type: 'stats', data: stats({ peers: 1 }) }
    ])
    const text = renderScreen(state, { columns: 80, rows: 24 }, false)
    expect(text[0]).toBe('fetching metadata')
    expect(text.join('\n')).toMatch(/fetching metadata… +↓ 0 B\/s +↑ 0 B\/s +1 peer/)
    expect(text.some((l) => l.startsWith('abababab'))).toBe(true)
  })

  it('a seeder: 100 %, a full map, and what each peer fetches', () => {
    const state = fold([
      { type: 'status', data: { status: 'seeding', previous: 'opening' } },
      metadata(96, 32 * 1024, 'movie.bin'),
      { type: 'stats', data: stats({ have: 96, pieceCount: 96, uploadRate: 1024 * 1024, peers: 1 }) },
      { type: 'peer-stats', data: [peer('cafebabe', { uploadRate: 1024 * 1024, piecesSent: 40, have: 40, interested: false, choked: true })] }
    ], 'share')
    const text = renderScreen(state, { columns: 100, rows: 24 }, false).join('\n')
    expect(text).toMatch(/100% +3\.00 MiB \/ 3\.00 MiB .* seeding +1 peer/)
    expect(text).toMatch(/^cafebabe .* 40 +41% +– direct +serving$/m)
    expect(text).toContain('seeding; press Ctrl-C to stop')
  })
})
