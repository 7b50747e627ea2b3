// Piece priorities from a file selection: skipped pieces are never requested, high ones go
// before any normal one (rarest first within a priority), and endgame and "lacking" count
// only the selected pieces.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'

const BLOCK = 4
const PIECE = 4 // one block a piece

function picker (priorities: number[], availability: number[], have = new Bitfield(priorities.length)): PiecePicker {
  const p = new PiecePicker(have, {
    pieceCount: priorities.length,
    pieceLength: () => PIECE,
    blockBytes: BLOCK,
    maxPartialPieces: 16,
    randomFirstPieces: 0,
    random: () => 0.5,
    priorities: Uint8Array.from(priorities)
  })
  for (const [piece, n] of availability.entries()) for (let i = 0; i < n; i++) p.onHave(piece)
  return p
}

const all = (n: number): Bitfield => Bitfield.full(n)

describe('PiecePicker with priorities', () => {
  it('never requests a skipped piece, however rare', () => {
    const p = picker([0, 1, 0, 1], [1, 5, 1, 3])
    const picks = p.pickBlocks(all(4), 10)
    expect(picks.map((b) => b.piece)).toEqual([3, 1])
    expect(p.pickBlocks(all(4), 10)).toEqual([])
  })

  it('high before normal, rarest first within each', () => {
    const p = picker([1, 2, 1, 2, 1], [1, 4, 2, 3, 5])
    expect(p.pickBlocks(all(5), 10).map((b) => b.piece)).toEqual([3, 1, 0, 2, 4])
  })

  it('endgame once every selected piece is requested, whatever the skipped ones', () => {
    const p = picker([1, 0, 1, 0], [1, 1, 1, 1])
    p.pickBlocks(all(4), 10, () => false, 'a')
    expect(p.inEndgame).toBe(true)
  })

  it('a selected piece held from the start is not lacking', () => {
    const have = new Bitfield(3)
    have.set(0)
    const p = picker([1, 0, 1], [1, 1, 1], have)
    expect(p.pickBlocks(all(3), 10).map((b) => b.piece)).toEqual([2])
    expect(p.inEndgame).toBe(true)
  })

  it('refuses priorities that do not fit the pieces', () => {
    expect(() => new PiecePicker(new Bitfield(3), { pieceCount: 3, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 4, priorities: new Uint8Array(2) })).toThrow(RangeError)
  })
})
