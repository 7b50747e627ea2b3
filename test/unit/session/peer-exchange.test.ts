import { afterEach, describe, expect, it, vi } from 'vitest'
import { PEX_INTERVAL_MS } from '../../../src/constants.js'
import type { Peer } from '../../../src/session/peer.js'
import { PeerExchange } from '../../../src/session/peer-exchange.js'

interface FakePeer { id: string, key: Buffer, sent: Buffer[][], wire: { send: (name: string, m: { keys: Buffer[] }) => boolean } }

function fakePeer (n: number): FakePeer {
  const key = Buffer.alloc(32, n)
  const sent: Buffer[][] = []
  return { id: key.toString('hex'), key, sent, wire: { send: (_name, m) => { sent.push(m.keys); return true } } }
}

const asPeer = (p: FakePeer): Peer => p as unknown as Peer

function exchangeOf (peers: FakePeer[], learnt: Buffer[][] = []): PeerExchange {
  return new PeerExchange({ peers: () => peers as unknown as Peer[], onLearned: (keys) => { learnt.push(keys) } })
}

describe('PeerExchange', () => {
  afterEach(() => { vi.useRealTimers() })

  it('tells a newcomer the peers already there, and the others of the newcomer once a batch is due', () => {
    vi.useFakeTimers()
    const [a, b, c] = [fakePeer(1), fakePeer(2), fakePeer(3)]
    const peers = [a!]
    const pex = exchangeOf(peers)
    pex.onPeerAdded(asPeer(a!)) // alone: nothing to tell
    expect(a!.sent).toEqual([])
    peers.push(b!)
    pex.onPeerAdded(asPeer(b!))
    expect(b!.sent).toEqual([[a!.key]])
    peers.push(c!)
    pex.onPeerAdded(asPeer(c!))
    expect(c!.sent).toEqual([[a!.key, b!.key]])
    vi.advanceTimersByTime(PEX_INTERVAL_MS)
    // One batch: a hears of b and c together; b of a and c; c of a and b.
    expect(a!.sent).toEqual([[b!.key, c!.key]])
    expect(b!.sent.at(-1)).toEqual([a!.key, c!.key])
    expect(c!.sent.at(-1)).toEqual([a!.key, b!.key])
    pex.stop()
  })

  it('passes on only keys of peers it has no channel with, never the sender itself', () => {
    const [a, b] = [fakePeer(1), fakePeer(2)]
    const learnt: Buffer[][] = []
    const pex = exchangeOf([a!, b!], learnt)
    const stranger = Buffer.alloc(32, 9)
    pex.onMessage(a as unknown as Peer, [a!.key, b!.key, stranger], 0)
    expect(learnt).toEqual([[stranger]])
  })

  it('takes one message per peer per interval: a flood makes us dial no more', () => {
    const a = fakePeer(1)
    const learnt: Buffer[][] = []
    const pex = exchangeOf([a], learnt)
    for (let i = 0; i < 100; i++) pex.onMessage(a as unknown as Peer, [Buffer.alloc(32, 100 + i)], i)
    expect(learnt.length).toBe(1)
    pex.onMessage(a as unknown as Peer, [Buffer.alloc(32, 7)], PEX_INTERVAL_MS)
    expect(learnt.length).toBe(2)
  })
})
