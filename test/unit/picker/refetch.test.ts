// A piece that failed its hash is fetched again first, from one peer alone, preferably not
// one that sent the bad copy; if that peer does not deliver, anyone may finish it.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'

const BLOCK = 4
const PIECE = 12 // three blocks a piece

function bits (pattern: string): Bitfield {
  const field = new Bitfield(pattern.length)
  for (let i = 0; i < pattern.length; i++) if (pattern[i] === '1') field.set(i)
  return field
}

function picker (availability: string): PiecePicker {
  const p = new PiecePicker(new Bitfield(availability.length), {
    pieceCount: availability.length,
    pieceLength: () => PIECE,
    blockBytes: BLOCK,
    maxPartialPieces: 8,
    randomFirstPieces: 0,
    random: () => 0.5
  })
  for (const [piece, digit] of [...availability].entries()) for (let i = 0; i < Number(digit); i++) p.onHave(piece)
  return p
}

/** Picks and receives every block of `piece` for `peer`, then fails it. */
function failWhole (p: PiecePicker, piece: number, senders: string[]): void {
  for (const b of p.pickBlocks(bits('1111'), 3, () => false, senders[0])) p.onBlockReceived(b.piece, b.offset)
  p.onPieceFailed(piece, senders)
}

describe('PiecePicker: re-fetching a failed piece', () => {
  it('fetches the failed piece again before any new piece, all of it from the one peer that took it', () => {
    const p = picker('3333')
    const first = p.pickBlocks(bits('1111'), 3, () => false, 'a')
    const piece = first[0]!.piece
    for (const b of first) p.onBlockReceived(b.piece, b.offset)
    p.onPieceFailed(piece, ['a', 'b'])
    const again = p.pickBlocks(bits('1111'), 1, () => false, 'c')
    expect(again).toEqual([{ piece, offset: 0, length: BLOCK, reason: 'refetch' }])
    // Another peer is not given the rest of that piece: it starts a new one.
    const other = p.pickBlocks(bits('1111'), 3, () => false, 'd')
    expect(other.every((b) => b.piece !== piece)).toBe(true)
    // The owner gets the rest.
    expect(p.pickBlocks(bits('1111'), 2, () => false, 'c')).toEqual([
      { piece, offset: BLOCK, length: BLOCK, reason: 'partial' },
      { piece, offset: 2 * BLOCK, length: BLOCK, reason: 'partial' }
    ])
  })

  it('skips a peer that sent the bad copy while more peers hold the piece than spoiled it', () => {
    const p = picker('3333')
    failWhole(p, 0, ['a', 'b'])
    // Pieces 0..3 each held by three peers; a and b spoiled piece 0: a third holder exists.
    expect(p.pickBlocks(bits('1000'), 1, () => false, 'a')).toEqual([])
    expect(p.pickBlocks(bits('1000'), 1, () => false, 'c')[0]).toMatchObject({ piece: 0, reason: 'refetch' })
  })

  it('gives the piece back to a spoiler when nobody else may hold it', () => {
    const p = picker('2222')
    failWhole(p, 0, ['a', 'b'])
    expect(p.pickBlocks(bits('1000'), 1, () => false, 'a')[0]).toMatchObject({ piece: 0, reason: 'refetch' })
  })

  it('lets anyone finish the piece once its owner fails to deliver a block', () => {
    const p = picker('3333')
    failWhole(p, 0, ['a'])
    const [block] = p.pickBlocks(bits('1000'), 1, () => false, 'c')
    expect(p.pickBlocks(bits('1000'), 3, () => false, 'd')).toEqual([])
    p.releaseRequest(block!.piece, block!.offset) // c timed out, choked us or left
    expect(p.pickBlocks(bits('1000'), 3, () => false, 'd').map((b) => [b.piece, b.offset])).toEqual([[0, 0], [0, BLOCK], [0, 2 * BLOCK]])
  })

  it('gives an owned piece no endgame duplicates at other peers', () => {
    const p = picker('3')
    failWhole(p, 0, ['a'])
    const owned = p.pickBlocks(bits('1'), 3, () => false, 'c')
    expect(owned).toHaveLength(3)
    expect(p.inEndgame).toBe(true)
    expect(p.pickBlocks(bits('1'), 3, () => false, 'd')).toEqual([])
  })
})
