import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { type Pick, PiecePicker } from '../../../src/picker/piece-picker.js'

const BLOCK = 4
const PIECE = 8 // two blocks a piece

/** A picker over `pieces` pieces that every test peer is counted as having. */
function picker (pieces: number, opts: { maxPartials?: number, maxDuplicateRequests?: number } = {}): PiecePicker {
  const p = new PiecePicker(new Bitfield(pieces), {
    pieceCount: pieces,
    pieceLength: () => PIECE,
    blockBytes: BLOCK,
    maxPartialPieces: opts.maxPartials ?? 8,
    randomFirstPieces: 0,
    random: () => 0.5,
    ...(opts.maxDuplicateRequests !== undefined ? { maxDuplicateRequests: opts.maxDuplicateRequests } : {})
  })
  for (let i = 0; i < pieces; i++) p.onHave(i)
  return p
}

/** A remote peer as the downloader sees it: what it has and what we asked of it. */
class TestPeer {
  readonly has: Bitfield
  readonly requests = new Set<string>()

  constructor (has: Bitfield) {
    this.has = has
  }

  static seeder (pieces: number): TestPeer {
    return new TestPeer(Bitfield.full(pieces))
  }

  fill (p: PiecePicker, max: number): Pick[] {
    const picks = p.pickBlocks(this.has, max, (piece, offset) => this.requests.has(key(piece, offset)))
    for (const b of picks) this.requests.add(key(b.piece, b.offset))
    return picks
  }

  /** The downloader's releaseAll: every request of a peer that disconnected goes back. */
  vanish (p: PiecePicker): void {
    for (const k of this.requests) {
      const [piece, offset] = k.split(':').map(Number)
      p.releaseRequest(piece!, offset!)
    }
    this.requests.clear()
  }
}

function key (piece: number, offset: number): string {
  return `${piece}:${offset}`
}

function summary (picks: Pick[]): Array<[number, number, string]> {
  return picks.map((b) => [b.piece, b.offset, b.reason])
}

describe('PiecePicker endgame', () => {
  it('enters endgame exactly when every missing block is requested', () => {
    const p = picker(2)
    const [a, b, c] = [TestPeer.seeder(2), TestPeer.seeder(2), TestPeer.seeder(2)]
    expect(a.fill(p, 3).map((x) => x.reason)).toEqual(['rarest', 'rarest', 'rarest'])
    expect(p.inEndgame).toBe(false)
    // The last unrequested block goes out normally; only then may blocks be duplicated.
    expect(summary(c.fill(p, 1))).toEqual([[1, BLOCK, 'partial']])
    expect(p.inEndgame).toBe(true)
    expect(summary(b.fill(p, 10))).toEqual([[0, 0, 'endgame'], [0, BLOCK, 'endgame'], [1, 0, 'endgame'], [1, BLOCK, 'endgame']])
  })

  it('fills the same call with duplicates once its normal picks took the last blocks', () => {
    const p = picker(2)
    const [a, b] = [TestPeer.seeder(2), TestPeer.seeder(2)]
    a.fill(p, 3)
    expect(summary(b.fill(p, 3))).toEqual([[1, BLOCK, 'partial'], [0, 0, 'endgame'], [0, BLOCK, 'endgame']])
  })

  it('never duplicates a request to the same peer', () => {
    const p = picker(1)
    const a = TestPeer.seeder(1)
    // Blocks picked in this very call count as requested from the peer too.
    expect(summary(a.fill(p, 10))).toEqual([[0, 0, 'rarest'], [0, BLOCK, 'rarest']])
    expect(p.inEndgame).toBe(true)
    expect(a.fill(p, 10)).toEqual([])
  })

  it('picks no duplicates for a caller that cannot say what the peer was asked', () => {
    const p = picker(1)
    TestPeer.seeder(1).fill(p, 2)
    expect(p.pickBlocks(Bitfield.full(1), 10)).toEqual([])
  })

  it('respects maxDuplicateRequests', () => {
    const p = picker(1)
    const [a, b, c] = [TestPeer.seeder(1), TestPeer.seeder(1), TestPeer.seeder(1)]
    a.fill(p, 2)
    expect(b.fill(p, 2)).toHaveLength(2)
    expect(c.fill(p, 2)).toEqual([])
    expect([p.requestsOf(0, 0), p.requestsOf(0, BLOCK)]).toEqual([2, 2])
  })

  it('gives every block a second source before any block a third', () => {
    const p = picker(1, { maxDuplicateRequests: 3 })
    const [a, b, c, d] = [TestPeer.seeder(1), TestPeer.seeder(1), TestPeer.seeder(1), TestPeer.seeder(1)]
    a.fill(p, 2)
    expect(summary(b.fill(p, 1))).toEqual([[0, 0, 'endgame']])
    expect(summary(c.fill(p, 2))).toEqual([[0, BLOCK, 'endgame'], [0, 0, 'endgame']])
    expect(summary(d.fill(p, 2))).toEqual([[0, BLOCK, 'endgame']])
    expect([p.requestsOf(0, 0), p.requestsOf(0, BLOCK)]).toEqual([3, 3])
  })

  it('only duplicates blocks of pieces the peer has', () => {
    const p = picker(2)
    TestPeer.seeder(2).fill(p, 4)
    const half = new TestPeer(Bitfield.fromBytes(2, Uint8Array.of(0x40))) // piece 1 only
    expect(summary(half.fill(p, 4))).toEqual([[1, 0, 'endgame'], [1, BLOCK, 'endgame']])
  })

  it('stays out of endgame while a missing piece is not started', () => {
    // The partial cap holds piece 2 back: the others' blocks are all requested, yet no duplicates.
    const capped = picker(3, { maxPartials: 2 })
    TestPeer.seeder(3).fill(capped, 10)
    expect(capped.partialCount).toBe(2)
    expect(capped.inEndgame).toBe(false)
    expect(TestPeer.seeder(3).fill(capped, 10)).toEqual([])
    // Nobody has piece 1: it cannot be started, so piece 0 is not duplicated either.
    const missing = picker(2)
    const first = new TestPeer(Bitfield.fromBytes(2, Uint8Array.of(0x80)))
    first.fill(missing, 10)
    expect(missing.inEndgame).toBe(false)
    expect(new TestPeer(first.has).fill(missing, 10)).toEqual([])
  })

  it('is not in endgame once nothing is missing', () => {
    const have = Bitfield.full(1)
    const p = new PiecePicker(have, { pieceCount: 1, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 1 })
    expect(p.inEndgame).toBe(false)
  })

  it('leaves endgame when a failed piece makes blocks unrequested again', () => {
    const p = picker(2)
    const [a, b] = [TestPeer.seeder(2), TestPeer.seeder(2)]
    a.fill(p, 4)
    b.fill(p, 4)
    expect(p.inEndgame).toBe(true)
    // Piece 0 arrives whole from A (B's duplicates are now moot) and fails its hash.
    expect(p.onBlockReceived(0, 0)).toBe(false)
    expect(p.isWanted(0, 0)).toBe(false)
    expect(p.onBlockReceived(0, BLOCK)).toBe(true)
    p.onPieceFailed(0)
    expect(p.inEndgame).toBe(false)
    // Fetched again ahead of anything else (reason 'refetch').
    expect(summary(TestPeer.seeder(2).fill(p, 10))).toEqual([[0, 0, 'refetch'], [0, BLOCK, 'refetch']])
    expect(p.inEndgame).toBe(true)
  })

  it('leaves endgame when the only request for a block is released', () => {
    const p = picker(1)
    const [a, b] = [TestPeer.seeder(1), TestPeer.seeder(1)]
    a.fill(p, 2)
    b.fill(p, 1) // duplicates block 0 only
    p.releaseRequest(0, 0)
    expect(p.inEndgame).toBe(true) // B's request for block 0 is still out
    p.releaseRequest(0, BLOCK)
    expect(p.inEndgame).toBe(false)
    expect(summary(b.fill(p, 2))).toEqual([[0, BLOCK, 'partial']])
  })

  it('counts a block received whichever of its requests answered', () => {
    const p = picker(1)
    const [a, b] = [TestPeer.seeder(1), TestPeer.seeder(1)]
    a.fill(p, 2)
    b.fill(p, 2)
    expect(p.requestsOf(0, 0)).toBe(2)
    expect(p.onBlockReceived(0, 0)).toBe(false)
    expect(p.requestsOf(0, 0)).toBe(0)
    p.releaseRequest(0, 0) // the downloader cancels A's copy: nothing changes
    expect(p.isWanted(0, 0)).toBe(false)
    expect(p.onBlockReceived(0, BLOCK)).toBe(true)
  })

  it('returns requests of a vanished peer', () => {
    const p = picker(2)
    const [a, b, c] = [TestPeer.seeder(2), TestPeer.seeder(2), TestPeer.seeder(2)]
    a.fill(p, 4)
    expect(summary(b.fill(p, 2))).toEqual([[0, 0, 'endgame'], [0, BLOCK, 'endgame']])
    a.vanish(p)
    // Piece 0 is still requested from B; piece 1 was asked of A alone and is free again.
    expect([p.requestsOf(0, 0), p.requestsOf(0, BLOCK), p.requestsOf(1, 0), p.requestsOf(1, BLOCK)]).toEqual([1, 1, 0, 0])
    expect(p.inEndgame).toBe(false)
    expect(summary(b.fill(p, 2))).toEqual([[1, 0, 'partial'], [1, BLOCK, 'partial']])
    // Everything is requested again: C may only duplicate, and gets each block of B's.
    expect(summary(c.fill(p, 10))).toEqual([[0, 0, 'endgame'], [0, BLOCK, 'endgame'], [1, 0, 'endgame'], [1, BLOCK, 'endgame']])
  })

  it('rejects a maxDuplicateRequests it cannot honour', () => {
    expect(() => picker(1, { maxDuplicateRequests: 0 })).toThrow(RangeError)
    expect(() => picker(1, { maxDuplicateRequests: 1.5 })).toThrow(RangeError)
  })
})
