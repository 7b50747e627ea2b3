import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'

const BLOCK = 4
const PIECE = 8 // two blocks a piece

/** A bitfield from a string: '1' = has the piece ("1011" → pieces 0, 2, 3). */
function bits (pattern: string): Bitfield {
  const field = new Bitfield(pattern.length)
  for (let i = 0; i < pattern.length; i++) if (pattern[i] === '1') field.set(i)
  return field
}

/** A picker whose availability is given per piece as digits ("3110"). */
function picker (opts: { have?: string, availability?: string, maxPartials?: number, randomFirst?: number, random?: () => number } = {}): PiecePicker {
  const count = (opts.availability ?? opts.have ?? '0000').length
  const p = new PiecePicker(opts.have !== undefined ? bits(opts.have) : new Bitfield(count), {
    pieceCount: count,
    pieceLength: () => PIECE,
    blockBytes: BLOCK,
    maxPartialPieces: opts.maxPartials ?? 8,
    randomFirstPieces: opts.randomFirst ?? 0,
    random: opts.random ?? (() => 0.5)
  })
  for (const [piece, digit] of [...(opts.availability ?? '')].entries()) {
    for (let i = 0; i < Number(digit); i++) p.onHave(piece)
  }
  return p
}

describe('PiecePicker', () => {
  it('picks the rarest piece the peer has', () => {
    const p = picker({ availability: '3213' })
    const picks = p.pickBlocks(bits('1111'), 2)
    expect(picks.map((b) => [b.piece, b.offset, b.length, b.reason])).toEqual([[2, 0, 4, 'rarest'], [2, 4, 4, 'rarest']])
  })

  it('never picks a piece the peer lacks or that we hold', () => {
    const p = picker({ have: '1000', availability: '1121' })
    const picks = p.pickBlocks(bits('1010'), 10)
    expect(new Set(picks.map((b) => b.piece))).toEqual(new Set([2]))
  })

  it('finishes started pieces before starting new ones (partial-first)', () => {
    const p = picker({ availability: '2222' })
    const first = p.pickBlocks(bits('1111'), 1)
    const next = p.pickBlocks(bits('1111'), 1)
    expect(next[0]).toMatchObject({ piece: first[0]!.piece, offset: BLOCK, reason: 'partial' })
  })

  it('breaks ties at random among equally rare pieces', () => {
    const seen = new Set<number>()
    for (const r of [0.05, 0.3, 0.6, 0.95]) {
      const values = [r, r, r, r]
      const p = picker({ availability: '1111', random: () => values.shift() ?? r })
      seen.add(p.pickBlocks(bits('1111'), 1)[0]!.piece)
    }
    expect(seen.size).toBeGreaterThan(1)
  })

  it('picks at random while it holds fewer than randomFirstPieces pieces', () => {
    // random() = 0.99 keeps the first candidate: rarity is ignored (rarest would be piece 3).
    const p = picker({ availability: '5551', randomFirst: 1, random: () => 0.99 })
    const pick = p.pickBlocks(bits('1111'), 1)[0]!
    expect(pick).toMatchObject({ piece: 0, reason: 'random-first' })
  })

  it('bounds the pieces in progress', () => {
    const p = picker({ availability: '11111111'.slice(0, 4), maxPartials: 2 })
    const picks = p.pickBlocks(bits('1111'), 100)
    expect(new Set(picks.map((b) => b.piece)).size).toBe(2)
    expect(picks).toHaveLength(4)
  })

  it('returns the requests of a vanished peer to the pool', () => {
    const p = picker({ availability: '1000' })
    const picks = p.pickBlocks(bits('1000'), 2)
    expect(p.pickBlocks(bits('1000'), 2)).toEqual([])
    for (const b of picks) p.releaseRequest(b.piece, b.offset)
    expect(p.pickBlocks(bits('1000'), 2).map((b) => b.offset)).toEqual([0, BLOCK])
  })

  it('reports a piece complete on its last block and forgets it once verified', () => {
    const p = picker({ availability: '1000' })
    const [a, b] = p.pickBlocks(bits('1000'), 2)
    expect(p.onBlockReceived(a!.piece, a!.offset)).toBe(false)
    expect(p.isWanted(b!.piece, b!.offset)).toBe(true)
    expect(p.onBlockReceived(b!.piece, b!.offset)).toBe(true)
    expect(p.isWanted(b!.piece, b!.offset)).toBe(false)
    p.onPieceVerified(0)
    expect(p.partialCount).toBe(0)
  })

  it('fetches a piece that failed its hash again from scratch', () => {
    const p = picker({ availability: '1000' })
    for (const b of p.pickBlocks(bits('1000'), 2)) p.onBlockReceived(b.piece, b.offset)
    p.onPieceFailed(0)
    expect(p.pickBlocks(bits('1000'), 2).map((b) => b.offset)).toEqual([0, BLOCK])
  })

  it('subtracts the availability of a peer that leaves', () => {
    const p = picker({ availability: '0000' })
    p.addAvailability(bits('1100'))
    p.addAvailability(bits('0100'))
    p.addAvailability(bits('1100'), -1)
    expect([0, 1, 2, 3].map((i) => p.availabilityOf(i))).toEqual([0, 1, 0, 0])
  })

  it('gives the short last piece a short last block', () => {
    const p = new PiecePicker(new Bitfield(2), { pieceCount: 2, pieceLength: (i) => (i === 1 ? 5 : PIECE), blockBytes: BLOCK, maxPartialPieces: 4, randomFirstPieces: 0 })
    p.onHave(0)
    const picks = p.pickBlocks(bits('01'), 4)
    expect(picks.map((b) => [b.offset, b.length])).toEqual([[0, 4], [4, 1]])
  })
})
