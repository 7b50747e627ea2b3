// Priorities changed while the download runs (a stream bumps the pieces ahead of its reader to
// high and back): the next pick follows them, skip ↔ selected moves the counts, and a piece
// skipped without a word is still never picked. Plus the cost of a pick on many pieces.

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { PiecePicker } from '../../../src/picker/piece-picker.js'

const BLOCK = 4
const PIECE = 4 // one block a piece

function picker (priorities: Uint8Array, availability: number[] = []): PiecePicker {
  const p = new PiecePicker(new Bitfield(priorities.length), {
    pieceCount: priorities.length,
    pieceLength: () => PIECE,
    blockBytes: BLOCK,
    maxPartialPieces: 64,
    randomFirstPieces: 0,
    random: () => 0.5,
    priorities
  })
  for (const [piece, n] of availability.entries()) for (let i = 0; i < n; i++) p.onHave(piece)
  return p
}

const pieces = (p: PiecePicker, n: number, max = 1): number[] => p.pickBlocks(Bitfield.full(n), max).map((b) => b.piece)

/** A bitfield that counts the lookups made in it. */
class CountingBitfield extends Bitfield {
  lookups = 0
  override has (index: number): boolean {
    this.lookups++
    return super.has(index)
  }
}

describe('PiecePicker with priorities changed live', () => {
  it('takes a piece raised to high next, and rarest first again once it is back to normal', () => {
    const priorities = Uint8Array.from([1, 1, 1, 1, 1])
    const p = picker(priorities, [1, 2, 3, 4, 5])
    priorities[3] = 2
    p.priorityChanged(3)
    priorities[4] = 2
    p.priorityChanged(4)
    priorities[4] = 1
    expect(p.priorityChanged(4)).toBe(false) // normal ↔ high: no change of selection
    expect(pieces(p, 5)).toEqual([3])
    expect(pieces(p, 5)).toEqual([0])
    expect(pieces(p, 5, 3)).toEqual([1, 2, 4])
  })

  it('counts a piece selected or skipped later in lacking and selectedCount', () => {
    const priorities = Uint8Array.from([1, 0, 1])
    const p = picker(priorities)
    expect([p.selectedCount, p.lacking]).toEqual([2, 2])
    priorities[1] = 2
    expect(p.priorityChanged(1)).toBe(true)
    expect([p.selectedCount, p.lacking]).toEqual([3, 3])
    expect(pieces(p, 3)).toEqual([1])
    priorities[2] = 0
    expect(p.priorityChanged(2)).toBe(true)
    expect([p.selectedCount, p.lacking]).toEqual([2, 2])
    expect(pieces(p, 3, 5)).toEqual([0])
    for (const piece of [1, 0]) {
      expect(p.onBlockReceived(piece, 0)).toBe(true)
      p.onPieceVerified(piece)
    }
    expect(p.lacking).toBe(0)
  })

  it('never picks a piece skipped without priorityChanged, and picks what it skipped for it', () => {
    const priorities = Uint8Array.from([1, 1, 1])
    const p = picker(priorities, [1, 2, 3])
    priorities[0] = 0 // no word to the picker
    expect(pieces(p, 3)).toEqual([1])
    expect(pieces(p, 3, 5)).toEqual([2])
  })

  it('leaves a started piece alone when its priority changes', () => {
    const priorities = Uint8Array.from([1, 1])
    const p = picker(priorities, [1, 2])
    expect(pieces(p, 2)).toEqual([0])
    priorities[0] = 2
    p.priorityChanged(0)
    expect(pieces(p, 2)).toEqual([1])
    expect(p.partialPieces().sort()).toEqual([0, 1])
  })

  it('setPriorities: a picker made without priorities takes a file raised to high next, and the rest rarest first', () => {
    const p = new PiecePicker(new Bitfield(6), { pieceCount: 6, pieceLength: () => PIECE, blockBytes: BLOCK, maxPartialPieces: 64, randomFirstPieces: 0, random: () => 0.5 })
    for (const [piece, n] of [6, 5, 4, 3, 2, 1].entries()) for (let i = 0; i < n; i++) p.onHave(piece)
    expect(p.setPriorities(Uint8Array.from([1, 2, 2, 1, 1, 1]))).toBe(false) // normal ↔ high: the same pieces wanted
    expect([p.selectedCount, p.lacking]).toEqual([6, 6])
    expect(pieces(p, 6, 2)).toEqual([2, 1]) // the high file, rarest first within it
    expect(pieces(p, 6)).toEqual([5]) // then rarest first again
    // Back to normal: piece 0 (most common) waits behind the rarer ones.
    p.setPriorities(Uint8Array.from([1, 1, 1, 1, 1, 1]))
    expect(pieces(p, 6, 3)).toEqual([4, 3, 0])
    expect(() => p.setPriorities(new Uint8Array(5))).toThrow(RangeError)
  })

  it('setPriorities writes into the live array and counts a piece skipped or selected anew', () => {
    const priorities = Uint8Array.from([1, 1, 0])
    const p = picker(priorities, [1, 1, 1])
    expect(p.setPriorities(Uint8Array.from([0, 1, 2]))).toBe(true)
    expect(Array.from(priorities)).toEqual([0, 1, 2])
    expect([p.selectedCount, p.lacking]).toEqual([2, 2])
    expect(pieces(p, 3, 5)).toEqual([2, 1])
  })

  it('looks at a few pieces a pick from a seeder, not at all of them', () => {
    const n = 20_000
    const p = picker(new Uint8Array(n).fill(1))
    const seeder = new CountingBitfield(n)
    for (let i = 0; i < n; i++) seeder.set(i)
    p.addAvailability(seeder)
    seeder.lookups = 0
    let picked = 0
    for (let round = 0; round < 200; round++) {
      for (const b of p.pickBlocks(seeder, 4)) {
        picked++
        p.onBlockReceived(b.piece, b.offset)
        p.onPieceVerified(b.piece)
      }
    }
    expect(picked).toBe(800)
    // A scan of every piece per pick would look at 800 × 20,000.
    expect(seeder.lookups).toBeLessThan(10 * picked)
  })
})
