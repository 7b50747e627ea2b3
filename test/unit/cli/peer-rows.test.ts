import { describe, expect, it } from 'vitest'
import { flags, renderPeerRows, sortPeers } from '../../../src/cli/view/peer-rows.js'
import { stripAnsi, visibleWidth } from '../../../src/cli/view/text.js'
import { fold, KiB, metadata, midDownload, peer } from './fixtures.js'

describe('peer rows', () => {
  it.each([40, 80, 200])('at %i columns: a title row, then one row per peer, the busiest first', (columns) => {
    const width = columns - 1
    const rows = renderPeerRows(midDownload(), width, 20, true)
    expect(rows).toHaveLength(4)
    for (const row of rows) expect(visibleWidth(row)).toBeLessThanOrEqual(width)
    const text = rows.map(stripAnsi)
    expect(text[0]).toMatch(/^peer +↓/)
    expect(text[1]).toMatch(/^a1b2c3/)
    expect(text[2]).toMatch(/^e5f6a7/)
    expect(text[3]).toMatch(/^c9d0e1/)
    // The trading peer: its rates and the pieces received from it and sent to it.
    expect(text[2]).toMatch(/ 36 +48 /)
  })

  it('names the choke and interest state in words when there is room, as flags when not', () => {
    const wide = renderPeerRows(midDownload(), 199, 20, false)
    expect(wide[1]).toContain('fetching')
    expect(wide[2]).toContain('fetching, serving')
    expect(wide[3]).toContain('choked by it, choking it')
    expect(wide[1]).toMatch(/seed/)
    const narrow = renderPeerRows(midDownload(), 39, 20, false)
    expect(narrow[1]).toMatch(/D-$/)
    expect(narrow[2]).toMatch(/DU$/)
    expect(narrow[3]).toMatch(/du$/)
  })

  it('maps the four choke/interest flags of each direction', () => {
    expect(flags(peer('a', { interested: true, choked: false, remoteInterested: true, choking: false }))).toBe('DU')
    expect(flags(peer('a', { interested: true, choked: true, remoteInterested: true, choking: true }))).toBe('du')
    expect(flags(peer('a', { interested: false, choked: false, remoteInterested: false, choking: false }))).toBe('K?')
    expect(flags(peer('a', { interested: false, choked: true, remoteInterested: false, choking: true }))).toBe('--')
  })

  it('caps the rows to the height and says how many peers are not shown', () => {
    const rows = renderPeerRows(midDownload(1000, 30), 79, 6, false)
    expect(rows).toHaveLength(6)
    expect(rows.at(-1)).toBe('… 26 more peers')
  })

  it('on a seeder shows what each peer fetches', () => {
    const state = fold([
      metadata(96),
      { type: 'peer-add', data: { id: 'b'.repeat(64) } },
      { type: 'peer-stats', data: [peer('bbbbbbbb', { uploadRate: 900 * KiB, uploaded: 2_000_000, piecesSent: 61, have: 61, interested: false, choked: true })] }
    ], 'share')
    const [, row] = renderPeerRows(state, 79, 10, false)
    expect(row).toMatch(/^bbbbbbbb +0 B\/s +900\.0 KiB\/s +0 +61 +63% serving$/)
  })

  it('shows the round trip and whether the connection is direct, hole-punched or relayed when there is room', () => {
    const state = fold([
      metadata(96),
      { type: 'peer-add', data: { id: 'b'.repeat(64) } },
      { type: 'peer-add', data: { id: 'c'.repeat(64) } },
      { type: 'peer-stats', data: [peer('bbbbbbbb', { downloadRate: 2, rtt: 61.6, connection: 'relayed' }), peer('cccccccc', { downloadRate: 1, connection: 'holepunched' })] }
    ], 'get')
    const [title, relayed, punched] = renderPeerRows(state, 120, 10, false)
    expect(title).toMatch(/ rtt via +state$/)
    expect(relayed).toMatch(/ 62ms relay +fetching, serving$/)
    expect(punched).toMatch(/ +– punched +fetching, serving$/)
    expect(renderPeerRows(state, 79, 10, false)[1]).not.toMatch(/relay/)
  })

  it('sorts by current rate, then bytes, then id', () => {
    const sorted = sortPeers([peer('c', { downloaded: 5 }), peer('b'), peer('a'), peer('d', { uploadRate: 1 })])
    expect(sorted.map((p) => p.id[0])).toEqual(['d', 'c', 'a', 'b'])
  })
})
