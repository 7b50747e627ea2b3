// The JSON lines a session's view events become, without a reporter around them.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { HEARTBEAT_MS } from '../../../src/cli/change-gate.js'
import { JsonEvents } from '../../../src/cli/json-events.js'
import { reduce, type ViewEvent } from '../../../src/cli/view/state.js'
import { fold, LINK, metadata, peer, stats, T0 } from './fixtures.js'

beforeEach(() => { vi.useFakeTimers({ now: T0 }) })
afterEach(() => { vi.useRealTimers() })

function writer (): { events: JsonEvents, lines: Array<{ name: string, fields: Record<string, unknown> }> } {
  const lines: Array<{ name: string, fields: Record<string, unknown> }> = []
  return { events: new JsonEvents((name, fields) => lines.push({ name, fields })), lines }
}

describe('JsonEvents', () => {
  it('says `ready` with the link and the share\'s figures, a peer coming and going', () => {
    const { events, lines } = writer()
    const state = fold([])
    const sequence: ViewEvent[] = [
      metadata(4, 1024, 'a.bin'),
      { type: 'peer-add', data: { id: 'ab'.repeat(32) } },
      { type: 'peer-remove', data: { id: 'ab'.repeat(32), reason: 'closed', stats: peer('ab') } }
    ]
    for (const event of sequence) {
      reduce(state, event)
      events.apply(event, state)
    }
    expect(lines).toEqual([
      { name: 'ready', fields: { link: LINK, infoHash: '3f5c'.repeat(16), name: 'a.bin', size: 4 * 1024 - 1000, pieces: 4, pieceSize: 1024 } },
      { name: 'peer', fields: { id: 'ab'.repeat(32), connected: true } },
      { name: 'peer', fields: { id: 'ab'.repeat(32), connected: false, reason: 'closed' } }
    ])
  })

  it('writes `progress` when the figures change, with the pieces verified since the last; unchanged, only as a heartbeat', () => {
    const { events, lines } = writer()
    const state = fold([metadata(4, 1024)])
    const send = (event: ViewEvent): void => { reduce(state, event); events.apply(event, state) }
    events.progress(state, true) // no stats yet: nothing to say
    send({ type: 'stats', data: stats({ pieceCount: 4 }) })
    send({ type: 'piece-verified', data: { piece: 2, from: 'ab'.repeat(32) } })
    vi.setSystemTime(T0 + 1000)
    send({ type: 'stats', data: stats({ pieceCount: 4, have: 1, downloaded: 1024 }) })
    vi.setSystemTime(T0 + 2000)
    send({ type: 'stats', data: stats({ pieceCount: 4, have: 1, downloaded: 1024 }) })
    expect(lines.map((l) => [l.name, l.fields.have, l.fields.verified])).toEqual([['progress', 0, []], ['progress', 1, [2]]])
    vi.setSystemTime(T0 + 1000 + HEARTBEAT_MS)
    send({ type: 'stats', data: stats({ pieceCount: 4, have: 1, downloaded: 1024 }) })
    expect(lines).toHaveLength(3)
    // The last one only when it says something new.
    events.progress(state, true)
    expect(lines).toHaveLength(3)
    send({ type: 'piece-verified', data: { piece: 0, from: 'ab'.repeat(32) } })
    events.progress(state, true)
    expect(lines.at(-1)).toMatchObject({ name: 'progress', fields: { have: 1, pieces: 4, verified: [0], eta: null } }) // no rate: no ETA
  })

  it('writes `peers` at most once a second', () => {
    const { events, lines } = writer()
    const state = fold([metadata(4, 1024)])
    for (let t = 0; t < 2000; t += 250) {
      vi.setSystemTime(T0 + t)
      events.apply({ type: 'peer-stats', data: [peer('ab', { downloaded: t })] }, state)
    }
    expect(lines.map((l) => l.name)).toEqual(['peers', 'peers'])
    expect(lines[1]!.fields.peers).toEqual([peer('ab', { downloaded: 1000 })])
  })
})
