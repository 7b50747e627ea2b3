import { describe, expect, it } from 'vitest'
import { bytesHeld, etaSeconds, peerTotals, piecesHeld, type ViewEvent } from '../../../src/cli/view/state.js'
import { fold, KiB, metadata, peer, stats } from './fixtures.js'

describe('view state', () => {
  it('marks pieces held as they verify and drops them from the in-flight set', () => {
    const state = fold([metadata(8), { type: 'stats', data: stats({ pieceCount: 8, partial: [2, 5] }) }, { type: 'piece-verified', data: { piece: 5, from: null } }])
    expect([...state.held]).toEqual([0, 0, 0, 0, 0, 1, 0, 0])
    expect([...state.inFlight]).toEqual([2])
  })

  it('holds every piece once the stats say so (a seeder, or a resumed download)', () => {
    const state = fold([metadata(8), { type: 'stats', data: stats({ have: 8, pieceCount: 8 }) }])
    expect(state.heldCount).toBe(8)
  })

  it('counts the short last piece exactly', () => {
    const events: ViewEvent[] = [metadata(4, 256 * KiB), { type: 'piece-verified', data: { piece: 3, from: null } }]
    expect(bytesHeld(fold(events))).toBe(256 * KiB - 1000)
    expect(bytesHeld(fold([...events, { type: 'piece-verified', data: { piece: 0, from: null } }]))).toBe(512 * KiB - 1000)
  })

  it('trusts the session\'s count of held pieces when it runs ahead (resumed pieces)', () => {
    const state = fold([metadata(10), { type: 'stats', data: stats({ have: 4, pieceCount: 10 }) }])
    expect(piecesHeld(state)).toBe(4)
  })

  it('gives an ETA from the rate, none when stalled', () => {
    const events: ViewEvent[] = [metadata(4, 256 * KiB)]
    expect(etaSeconds(fold([...events, { type: 'stats', data: stats({ pieceCount: 4, downloadRate: 0 }) }]))).toBeNull()
    expect(etaSeconds(fold([...events, { type: 'stats', data: stats({ pieceCount: 4, downloadRate: 100 * KiB }) }]))).toBeCloseTo((1024 * KiB - 1000) / (100 * KiB))
  })

  it('keeps the totals of a peer over its connections, and forgets no departed peer', () => {
    const id = 'ab'.repeat(32)
    const state = fold([
      { type: 'peer-add', data: { id } },
      { type: 'peer-remove', data: { id, reason: 'closed', stats: peer(id, { downloaded: 100, seed: true }) } },
      { type: 'peer-add', data: { id } },
      { type: 'peer-stats', data: [peer(id, { downloaded: 50, uploaded: 7 })] }
    ])
    expect(peerTotals(state).get(id)).toEqual({ downloaded: 150, uploaded: 7, seed: true })
    expect(state.peers.size).toBe(1)
  })

  it('keeps the latest warnings and counts them all', () => {
    const warnings = Array.from({ length: 8 }, (_, i): ViewEvent => ({ type: 'warning', data: { code: 'ERR_PROTOCOL', message: `w${i}` } }))
    const state = fold(warnings)
    expect(state.warnings).toEqual(['w3', 'w4', 'w5', 'w6', 'w7'])
    expect(state.warningCount).toBe(8)
    expect(state.notice).toBe('warning: w7')
  })
})
