import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { HAVE_BATCH_MS } from '../../../src/constants.js'
import { HaveAnnouncer } from '../../../src/session/have-announcer.js'
import type { Peer } from '../../../src/session/peer.js'

/** A peer that records each write: the haves sent together in one batch. */
function fakePeer (has: Bitfield | null): { peer: Peer, writes: number[][] } {
  const writes: number[][] = []
  let batch: number[] | null = null
  const wire = {
    batch (send: () => void) { batch = []; send(); writes.push(batch); batch = null },
    send (name: string, message: { piece: number }) {
      expect(name).toBe('have')
      if (batch === null) writes.push([message.piece])
      else batch.push(message.piece)
      return true
    }
  }
  return { peer: { has, wire } as unknown as Peer, writes }
}

describe('HaveAnnouncer', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('sends the first have at once and the ones that follow within the window together', () => {
    const a = fakePeer(new Bitfield(16))
    const announcer = new HaveAnnouncer(() => [a.peer])
    announcer.announce(3)
    expect(a.writes).toEqual([[3]])
    announcer.announce(5)
    announcer.announce(7)
    expect(a.writes).toEqual([[3]])
    vi.advanceTimersByTime(HAVE_BATCH_MS)
    expect(a.writes).toEqual([[3], [5, 7]])
    // A quiet window closes it: the next have goes at once again.
    vi.advanceTimersByTime(HAVE_BATCH_MS)
    announcer.announce(9)
    expect(a.writes).toEqual([[3], [5, 7], [9]])
    announcer.stop()
  })

  it('does not tell a peer about pieces it already has; a peer whose bitfield is unknown hears all', () => {
    const has = new Bitfield(16)
    has.set(4)
    const holder = fakePeer(has)
    const unknown = fakePeer(null)
    const announcer = new HaveAnnouncer(() => [holder.peer, unknown.peer])
    announcer.announce(4)
    announcer.announce(6)
    announcer.announce(4 + 8)
    vi.advanceTimersByTime(HAVE_BATCH_MS)
    expect(holder.writes).toEqual([[6, 12]])
    expect(unknown.writes).toEqual([[4], [6, 12]])
    announcer.stop()
  })

  it('sends nothing after stop', () => {
    const a = fakePeer(new Bitfield(8))
    const announcer = new HaveAnnouncer(() => [a.peer])
    announcer.announce(1)
    announcer.announce(2)
    announcer.stop()
    vi.advanceTimersByTime(10 * HAVE_BATCH_MS)
    expect(a.writes).toEqual([[1]])
  })
})
