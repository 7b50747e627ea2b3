// Choking against scripted peers (no sockets, a clock the test moves): a slot holder that
// asks for nothing for idleSlotMs yields its slot to the peer that has waited longest, and
// gets none back that way before the next round; one that asks, or whose requests we still
// hold, keeps it; with nobody waiting nothing changes, at the round either; a peer served
// that way that misbehaves puts the node on probation, as one served by a fill does.

import { describe, expect, it } from 'vitest'
import { Choking } from '../../../src/session/choking.js'
import { Peer } from '../../../src/session/peer.js'
import type { WireChannel } from '../../../src/wire/channel.js'

const IDLE_MS = 500
const PROBATION_MS = 400

function scriptedPeer (id: string): { peer: Peer, sent: string[] } {
  const sent: string[] = []
  const wire = {
    closed: false,
    stream: { rawStream: null },
    send: (type: string) => { sent.push(type); return true },
    batch: (send: () => void) => send()
  } as unknown as WireChannel
  return { peer: new Peer(id, wire), sent }
}

function choking (slots: number, peers: Peer[]): { choking: Choking, clock: { ms: number } } {
  const clock = { ms: 1000 }
  const c = new Choking(slots, {
    peers: () => peers.values(),
    seeding: () => false,
    onChoked: () => {},
    onUnchoked: () => {}
  }, { idleSlotMs: IDLE_MS, probationMs: PROBATION_MS, now: () => clock.ms })
  return { choking: c, clock }
}

describe('Choking idle slots', () => {
  it('gives the slot of a holder that asks for nothing to the longest waiting peer', () => {
    const a = scriptedPeer('a')
    const b = scriptedPeer('b')
    const c = scriptedPeer('c')
    const { choking: ch, clock } = choking(1, [a.peer, b.peer, c.peer])
    ch.onInterested(a.peer) // a free slot: served at once
    clock.ms += 10
    ch.onInterested(b.peer)
    clock.ms += 10
    ch.onInterested(c.peer)
    expect([a.peer.choking, b.peer.choking, c.peer.choking]).toEqual([false, true, true])
    clock.ms += IDLE_MS - 30 // not yet idle long enough
    ch.reassignIdle()
    expect(a.peer.choking).toBe(false)
    clock.ms += 20
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking, c.peer.choking]).toEqual([true, false, true])
    expect(a.sent).toEqual(['unchoke', 'choke'])
    expect(b.sent).toEqual(['unchoke'])
    // b asks for nothing either: the slot moves on to c (the longest waiting now) ...
    clock.ms += IDLE_MS
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking, c.peer.choking]).toEqual([true, true, false])
    // ... and not back to a or b, which yielded it this round: c keeps it, idle or not.
    clock.ms += IDLE_MS
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking, c.peer.choking]).toEqual([true, true, false])
    expect(c.sent).toEqual(['unchoke'])
  })

  it('leaves the slot with a holder that asks, or whose requests are still queued', () => {
    const a = scriptedPeer('a')
    const b = scriptedPeer('b')
    const { choking: ch, clock } = choking(1, [a.peer, b.peer])
    ch.onInterested(a.peer)
    ch.onInterested(b.peer)
    clock.ms += IDLE_MS - 100
    ch.onAsked(a.peer)
    clock.ms += IDLE_MS - 100
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking]).toEqual([false, true])
    // Silent since, but its request waits for our upload limit: it uses its slot.
    a.peer.inbound.push({ piece: 0, offset: 0, length: 16384 })
    clock.ms += 10 * IDLE_MS
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking]).toEqual([false, true])
    a.peer.inbound.length = 0
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking]).toEqual([true, false])
  })

  it('changes nothing while nobody waits, and an idle holder competes for no slot at the round', () => {
    const a = scriptedPeer('a')
    const b = scriptedPeer('b')
    const { choking: ch, clock } = choking(1, [a.peer, b.peer])
    ch.onInterested(a.peer)
    clock.ms += 10 * IDLE_MS
    ch.reassignIdle()
    expect(a.peer.choking).toBe(false)
    expect(a.sent).toEqual(['unchoke'])
    // At the round the idle holder a is not a candidate: b, interested and choked, is served
    // (its regular slot or the optimistic one), a is choked.
    ch.onInterested(b.peer)
    expect(b.peer.choking).toBe(true) // the one slot is held (by an idle peer)
    ch.rechoke()
    expect([a.peer.choking, b.peer.choking]).toEqual([true, false])
  })

  it('keeps an idle holder at the round when nobody waits (its slot would stay empty until the next)', () => {
    const a = scriptedPeer('a')
    const { choking: ch, clock } = choking(4, [a.peer])
    ch.onInterested(a.peer)
    clock.ms += 10 * IDLE_MS
    ch.rechoke()
    expect(a.peer.choking).toBe(false)
    expect(a.sent).toEqual(['unchoke'])
  })

  it('a peer given an idle slot that misbehaves puts the node on probation', () => {
    const a = scriptedPeer('a')
    const b = scriptedPeer('b')
    const c = scriptedPeer('c')
    const peers = [a.peer, b.peer]
    const { choking: ch, clock } = choking(1, peers)
    ch.onInterested(a.peer)
    ch.onInterested(b.peer)
    clock.ms += IDLE_MS
    ch.reassignIdle()
    expect([a.peer.choking, b.peer.choking]).toEqual([true, false])
    ch.onMisbehaved(b.peer) // b is dropped: its slot is free
    peers.splice(peers.indexOf(b.peer), 1, c.peer)
    ch.onInterested(c.peer)
    expect(c.peer.choking).toBe(true) // on probation: a newcomer waits PROBATION_MS for a free slot
    ch.stop()
  })
})
