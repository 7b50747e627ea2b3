// Streaming in the picker: urgent pieces go first (even past the partial limit, by the extra
// allowed): the in-order ones in deadline order, then the imminent ones and then the rest of the
// window, each rarest first with random ties; everything else stays rarest-first, and a seek
// abandons urgent pieces nobody has sent a block of; StreamReaders turns reads and seeks into
// those calls.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'
import { StreamReaders } from '../../../src/session/stream-readers.js'
import { seeded } from '../../helpers/random.js'

const BLOCK = 4
const PIECE = 8 // two blocks a piece

function picker (count: number, availability: number[], maxPartialPieces = 2, urgentExtraPieces = 2): PiecePicker {
  const p = new PiecePicker(new Bitfield(count), {
    pieceCount: count, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces, urgentExtraPieces, randomFirstPieces: 0, random: () => 0.5
  })
  for (const [piece, n] of availability.entries()) for (let i = 0; i < n; i++) p.onHave(piece)
  return p
}

describe('PiecePicker urgent pieces', () => {
  it('asks for urgent pieces first, in the order given, then rarest first', () => {
    const p = picker(6, [5, 5, 1, 5, 5, 5], 4)
    p.setUrgent([4, 3])
    const picks = p.pickBlocks(Bitfield.full(6), 6)
    expect(picks.map((b) => [b.piece, b.offset, b.reason])).toEqual([
      [4, 0, 'urgent'], [4, 4, 'urgent'], [3, 0, 'urgent'], [3, 4, 'urgent'], [2, 0, 'rarest'], [2, 4, 'rarest']
    ])
  })

  it('awaits imminent pieces while an in-order or imminent one is missing, not for the rest of the window', () => {
    const have = new Bitfield(8)
    const p = new PiecePicker(have, { pieceCount: 8, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 2, random: () => 0.5 })
    expect(p.awaitingImminent).toBe(false) // no reader
    p.setUrgent([2, 3, 4, 5, 6], 3, 1) // 2 in order, 3 and 4 imminent, 5 and 6 later
    expect(p.awaitingImminent).toBe(true)
    have.set(2)
    have.set(4)
    expect(p.awaitingImminent).toBe(true)
    have.set(3)
    expect(p.awaitingImminent).toBe(false) // only the rest of the window is missing
  })

  it('starts an urgent piece past the partial limit, by the extra allowed and no more', () => {
    const p = picker(8, [1, 1, 5, 5, 5, 5, 5, 5], 2, 1)
    expect(p.pickBlocks(Bitfield.full(8), 4).map((b) => b.piece)).toEqual([0, 0, 1, 1]) // the limit is full
    p.setUrgent([6, 7])
    expect(p.pickBlocks(Bitfield.full(8), 4).map((b) => [b.piece, b.reason])).toEqual([[6, 'urgent'], [6, 'urgent']])
    expect(p.partialCount).toBe(3)
  })

  it('keeps deadline order only for imminent pieces; the rest of the window goes rarest first', () => {
    const p = picker(6, [3, 3, 3, 1, 3, 2], 6)
    p.setUrgent([0, 1, 2, 3, 4, 5], 1)
    p.pickBlocks(Bitfield.full(6), 12)
    expect(p.partialPieces().slice(0, 3)).toEqual([0, 3, 5]) // 0 imminent, then availability 1, 2
  })

  it('takes the in-order pieces first in deadline order, then the imminent ones rarest first, then the window', () => {
    // Pieces 0–1 are at the read position, 2–4 imminent, 5–7 the rest of the window.
    const p = picker(10, [5, 5, 4, 2, 3, 1, 4, 5, 1, 5], 10)
    p.setUrgent([1, 0, 2, 3, 4, 5, 6, 7], 5, 2)
    const picks = p.pickBlocks(Bitfield.full(10), 20)
    expect(picks.filter((b) => b.offset === 0).map((b) => [b.piece, b.reason])).toEqual([
      [1, 'urgent'], [0, 'urgent'], [3, 'urgent'], [4, 'urgent'], [2, 'urgent'], [5, 'urgent'], [6, 'urgent'], [7, 'urgent'],
      [8, 'rarest'], [9, 'rarest'] // outside the window: rarest first as ever
    ])
  })

  it('streamers at one position (different random seeds) start different imminent pieces, the read position first', () => {
    const picksOf = (seed: number): number[] => {
      const p = new PiecePicker(new Bitfield(16), {
        pieceCount: 16, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 16, randomFirstPieces: 0, random: seeded(seed)
      })
      for (let piece = 0; piece < 16; piece++) p.onHave(piece) // the seeder alone has each
      p.setUrgent([...Array(16).keys()], 12, 2)
      return p.pickBlocks(Bitfield.full(16), 8).filter((b) => b.offset === 0).map((b) => b.piece)
    }
    const streamers = [1, 2, 3, 4].map(picksOf)
    for (const picks of streamers) {
      expect(picks.slice(0, 2)).toEqual([0, 1])
      expect(picks.slice(2).every((piece) => piece >= 2 && piece < 12)).toBe(true)
    }
    // Their third and fourth pieces: not all the same
    expect(new Set(streamers.map((picks) => picks.slice(2).join())).size).toBeGreaterThan(1)
    expect(streamers.map((picks) => picks.join())).toEqual([1, 2, 3, 4].map((seed) => picksOf(seed).join())) // seeded: replays
  })

  it('a piece another peer holds goes after those only the seeder has, for the imminent pieces too', () => {
    // Piece 3 is held by a downloader as well: asked of the seeder last.
    const p = picker(6, [1, 1, 1, 2, 1, 1], 6)
    p.setUrgent([0, 1, 2, 3, 4, 5], 1)
    expect(p.pickBlocks(Bitfield.full(6), 12).filter((b) => b.offset === 0).map((b) => b.piece).at(-1)).toBe(3)
  })

  it('finishes imminent pieces already started before starting the rest of the window', () => {
    const p = picker(6, [1, 1, 1, 1, 1, 1], 6)
    p.setUrgent([0, 1, 2, 3, 4, 5], 3, 1)
    const only2 = new Bitfield(6)
    only2.set(2)
    expect(p.pickBlocks(only2, 1).map((b) => [b.piece, b.offset])).toEqual([[2, 0]]) // started from a peer with little
    const picks = p.pickBlocks(Bitfield.full(6), 6).map((b) => [b.piece, b.offset])
    expect(picks.slice(0, 2)).toEqual([[0, 0], [0, 4]])
    expect(picks.slice(2, 5)).toEqual(expect.arrayContaining([[1, 0], [1, 4], [2, 4]])) // piece 2's other block before the window
    expect(picks[5]![0]).toBeGreaterThanOrEqual(3)
  })

  it('breaks ties in the window at random, so streamers at one position start different pieces', () => {
    const first = (random: () => number): number => {
      const p = new PiecePicker(new Bitfield(8), { pieceCount: 8, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 8, randomFirstPieces: 0, random })
      p.setUrgent([0, 1, 2, 3, 4, 5, 6, 7], 0)
      return p.pickBlocks(Bitfield.full(8), 1)[0]!.piece
    }
    expect(new Set([0, 0.3, 0.6, 0.99].map((r) => first(() => r))).size).toBeGreaterThan(1)
  })

  it('skips urgent pieces the peer lacks', () => {
    const p = picker(4, [1, 1, 1, 1], 4)
    p.setUrgent([3, 1])
    const peer = new Bitfield(4)
    peer.set(1)
    expect(p.pickBlocks(peer, 1).map((b) => [b.piece, b.reason])).toEqual([[1, 'urgent']])
  })

  it('abandons a stale urgent piece with no block received, keeps one half received', () => {
    const p = picker(4, [1, 1, 1, 1], 4)
    p.setUrgent([0, 1])
    p.pickBlocks(Bitfield.full(4), 4)
    p.onBlockReceived(1, 0)
    p.setUrgent([])
    expect(p.abandon(0)).toBe(true)
    expect(p.abandon(1)).toBe(false)
    expect(p.partialPieces()).toEqual([1])
    expect(p.isWanted(0, 0)).toBe(false)
    // Dropped unstarted, it is a candidate again: the next pick starts it afresh.
    const onlyFirst = new Bitfield(4)
    onlyFirst.set(0)
    expect(p.pickBlocks(onlyFirst, 2).map((b) => [b.piece, b.offset, b.reason])).toEqual([[0, 0, 'rarest'], [0, 4, 'rarest']])
    expect(p.partialPieces()).toEqual([1, 0])
  })
})

describe('StreamReaders', () => {
  function readers (held: Set<number>, inFlight: number[]): { r: StreamReaders, urgent: number[][], counts: number[][], abandoned: number[][], events: string[] } {
    const urgent: number[][] = []
    const counts: number[][] = []
    const abandoned: number[][] = []
    const events: string[] = []
    let now = 0
    const r = new StreamReaders({ pieceBytes: 1024 * 1024, totalBytes: 100 * 1024 * 1024 }, {
      has: (piece) => held.has(piece),
      inFlight: () => inFlight,
      setUrgent: (pieces, imminent, inOrder) => { urgent.push([...pieces]); counts.push([imminent, inOrder]) },
      abandon: (pieces) => { abandoned.push([...pieces]); return [...pieces] },
      onReader: (e) => { events.push(`${e.kind}@${e.firstPiece}`) },
      now: () => (now += 100)
    })
    return { r, urgent, counts, abandoned, events }
  }

  it('makes the pieces ahead of a reader urgent, nearest first, skipping held ones', () => {
    const { r, urgent, events } = readers(new Set([1]), [])
    r.move('a', 0)
    expect(urgent.at(-1)!.slice(0, 3)).toEqual([0, 2, 3])
    expect(events).toEqual(['open@0'])
    r.move('a', 256 * 1024) // the next read: no event
    expect(events).toEqual(['open@0'])
  })

  it('passes each reader\'s next two missing pieces as in order, and those due soon as imminent', () => {
    const { r, urgent, counts } = readers(new Set([1]), [])
    r.move('a', 0) // unmeasured: 512 KiB/s, a piece (1 MiB) every 2 s
    expect(urgent.at(-1)!.slice(0, 2)).toEqual([0, 2])
    expect(counts.at(-1)).toEqual([2, 2])
    r.move('b', 50 * 1024 * 1024)
    expect(urgent.at(-1)!.slice(0, 4)).toEqual([0, 50, 51, 2])
    expect(counts.at(-1)).toEqual([4, 4])
  })

  it('a seek moves the window and abandons the urgent pieces in flight behind it', () => {
    const { r, urgent, abandoned, events } = readers(new Set(), [0, 1, 50])
    r.move('a', 0)
    r.move('a', 50 * 1024 * 1024)
    expect(urgent.at(-1)![0]).toBe(50)
    expect(abandoned.at(-1)).toEqual([0, 1])
    expect(events).toEqual(['open@0', 'seek@50'])
    r.leave('a')
    expect(urgent.at(-1)).toEqual([])
    expect(abandoned.at(-1)).toEqual([50])
    expect(r.stats()).toEqual([])
  })
})
