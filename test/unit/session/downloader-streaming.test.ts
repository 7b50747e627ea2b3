// The downloader's share of streaming, against scripted peers (no sockets): a reader's first
// urgent list withdraws the requests made before it for pieces outside its window, and an
// urgent piece asked of a seed is withdrawn there once a downloader that serves us holds it,
// so the seed's upload goes to pieces nobody else has.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { REQUEST_QUEUE_MS, STREAM_REQUEST_QUEUE_MS } from '../../../src/constants.js'
import { encodeInfo } from '../../../src/metadata/info.js'
import { infoHashOf } from '../../../src/metadata/info-hash.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import { Downloader } from '../../../src/session/downloader.js'
import { Peer } from '../../../src/session/peer.js'
import { MemoryStorage } from '../../../src/storage/memory-storage.js'
import { TokenBucket } from '../../../src/token-bucket.js'
import type { WireChannel } from '../../../src/wire/channel.js'

const PIECES = 16
const PIECE_BYTES = 16 * 1024 // one block a piece
const MiB = 2 ** 20

interface Sent { type: string, piece: number }

function scriptedPeer (id: string, has: Bitfield): { peer: Peer, sent: Sent[] } {
  const sent: Sent[] = []
  const wire = {
    closed: false,
    stream: { rawStream: null }, // no round-trip time: the window is the minimum
    send: (type: string, message: { piece?: number } | null) => { sent.push({ type, piece: message?.piece ?? -1 }); return true },
    batch: (send: () => void) => send()
  } as unknown as WireChannel
  const peer = new Peer(id, wire)
  peer.has = has
  return { peer, sent }
}

function downloader (peers: Peer[], pieces = PIECES): Downloader {
  const info = encodeInfo({ name: 'a.bin', pieceSize: PIECE_BYTES, files: [{ path: [], length: pieces * PIECE_BYTES }], pieceHashes: Buffer.alloc(pieces * 32, 1) })
  const meta = Metadata.fromBytes(info, infoHashOf(info))
  const none = (): void => {}
  return new Downloader(meta, new MemoryStorage(meta), new Bitfield(pieces), new TokenBucket({ rate: 0 }), 60_000, {
    peers: () => peers.values(),
    onPieceVerified: none,
    onPieceFailed: none,
    onLiarsFound: none,
    onMisbehaving: none,
    onStorageError: none,
    onWriteStalled: none
  })
}

const requested = (sent: Sent[]): number[] => sent.filter((m) => m.type === 'request').map((m) => m.piece)
const cancelled = (sent: Sent[]): number[] => sent.filter((m) => m.type === 'cancel').map((m) => m.piece)

describe('Downloader streaming', () => {
  it('a reader\'s first urgent list withdraws the requests made before it outside its window', () => {
    const seed = scriptedPeer('seed', Bitfield.full(PIECES))
    const d = downloader([seed.peer])
    d.onPeerReady(seed.peer)
    d.onUnchoke(seed.peer)
    const before = requested(seed.sent) // random-first, before any reader
    expect(before.length).toBeGreaterThan(0)
    d.setUrgent([0, 1, 2, 3], 4, 2)
    const outside = before.filter((p) => p > 3)
    expect(cancelled(seed.sent).sort((a, b) => a - b)).toEqual([...outside].sort((a, b) => a - b))
    // The reader's pieces go out next, the one it reads first
    const after = requested(seed.sent).slice(before.length)
    const wanted = [0, 1, 2, 3].filter((p) => !before.includes(p))
    expect(after.slice(0, wanted.length).sort((a, b) => a - b)).toEqual(wanted)
    if (!before.includes(0)) expect(after[0]).toBe(0)
    for (const p of [0, 1, 2, 3]) expect(seed.peer.requests.has(p, 0)).toBe(true)
    // A later read moves the window: nothing more is withdrawn
    const cancels = cancelled(seed.sent).length
    d.setUrgent([2, 3, 4, 5], 4, 2)
    expect(cancelled(seed.sent).length).toBe(cancels)
  })

  it('takes the imminent pieces in deadline order with only seeds connected, spread among them with other downloaders', () => {
    const alone = scriptedPeer('seed', Bitfield.full(PIECES))
    const d = downloader([alone.peer])
    d.onPeerReady(alone.peer)
    d.setUrgent([5, 4, 3, 2, 1, 0, 6, 7], 8, 2)
    d.onUnchoke(alone.peer)
    expect(requested(alone.sent)).toEqual([5, 4, 3, 2, 1, 0, 6, 7]) // the window's first 128 KiB: 8 pieces

    const spreads = new Set<string>()
    for (let i = 0; i < 20; i++) {
      const seed = scriptedPeer('seed', Bitfield.full(PIECES))
      const other = scriptedPeer('other', new Bitfield(PIECES))
      const shared = downloader([seed.peer, other.peer])
      shared.onPeerReady(seed.peer)
      shared.onPeerReady(other.peer)
      shared.setUrgent([5, 4, 3, 2, 1, 0, 6, 7], 8, 2)
      shared.onUnchoke(seed.peer)
      const picks = requested(seed.sent)
      expect(picks.slice(0, 2)).toEqual([5, 4])
      expect([...picks].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
      spreads.add(picks.join())
    }
    expect(spreads.size).toBeGreaterThan(1) // random ties: not the same order every time
  })

  it('an urgent piece asked of the seed comes from a downloader once it holds it; other pieces stay', () => {
    const seed = scriptedPeer('seed', Bitfield.full(PIECES))
    const other = scriptedPeer('other', new Bitfield(PIECES))
    const d = downloader([seed.peer, other.peer])
    d.onPeerReady(seed.peer)
    d.onPeerReady(other.peer)
    d.setUrgent([0, 1, 2, 3], 4, 2)
    d.onUnchoke(seed.peer)
    d.onUnchoke(other.peer)
    const atSeed = requested(seed.sent)
    expect(atSeed.slice(0, 2)).toEqual([0, 1])
    const later = atSeed.find((p) => p > 3)! // rarest first after the window (the window asks 8 at first)
    expect(later).toBeDefined()

    const have = (peer: Peer, piece: number): void => { peer.has!.set(piece); d.onHave(peer, piece) } // as the session does
    have(other.peer, 2)
    expect(cancelled(seed.sent)).toEqual([2])
    expect(seed.peer.requests.has(2, 0)).toBe(false)
    expect(requested(other.sent)).toEqual([2])

    // Not urgent: left with the seed (rarest-first does not mind where a piece comes from)
    have(other.peer, later)
    expect(cancelled(seed.sent)).toEqual([2])
    expect(seed.peer.requests.has(later, 0)).toBe(true)

    // A holder that chokes us cannot serve it: the seed keeps the request
    const choking = scriptedPeer('choking', new Bitfield(PIECES))
    d.onPeerReady(choking.peer)
    have(choking.peer, 3)
    expect(cancelled(seed.sent)).toEqual([2])
    expect(seed.peer.requests.has(3, 0)).toBe(true)
  })

  it('queues a shallow window at each peer while a reader waits on imminent pieces, the full one otherwise', () => {
    const pieces = 256 // 4 MiB: more than either window
    const measured = (): { peer: Peer, sent: Sent[] } => {
      const seed = scriptedPeer('seed', Bitfield.full(pieces))
      seed.peer.download.add(MiB) // 1 MiB/s, no round trip: the window is the queue time's worth
      return seed
    }
    const plain = measured()
    const d = downloader([plain.peer], pieces)
    d.onPeerReady(plain.peer)
    d.onUnchoke(plain.peer)
    expect(requested(plain.sent).length * PIECE_BYTES).toBe(MiB * REQUEST_QUEUE_MS / 1000)

    const streaming = measured()
    const s = downloader([streaming.peer], pieces)
    s.onPeerReady(streaming.peer)
    s.setUrgent([0, 1, 2, 3], 4, 2)
    s.onUnchoke(streaming.peer)
    expect(requested(streaming.sent).length * PIECE_BYTES).toBe(MiB * STREAM_REQUEST_QUEUE_MS / 1000)
  })
})
