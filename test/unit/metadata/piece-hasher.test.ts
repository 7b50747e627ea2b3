import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HASH_BYTES } from '../../../src/constants.js'
import { PieceHasher } from '../../../src/metadata/piece-hasher.js'

const PIECE = 16 * 1024

function expectedHashes (content: Buffer): Buffer {
  const hashes: Buffer[] = []
  for (let offset = 0; offset < content.length; offset += PIECE) {
    hashes.push(createHash('sha256').update(content.subarray(offset, offset + PIECE)).digest())
  }
  return Buffer.concat(hashes)
}

describe('PieceHasher', () => {
  const content = Buffer.alloc(3 * PIECE + 123)
  for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 9)) % 256

  it.each([1, 1000, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 123])('hashes the same whatever the chunk size (%i)', (chunk) => {
    const hashes = Buffer.alloc(4 * HASH_BYTES)
    const hasher = new PieceHasher(PIECE, hashes)
    for (let offset = 0; offset < content.length; offset += chunk) hasher.update(content.subarray(offset, offset + chunk))
    hasher.end()
    expect(hasher.pieces).toBe(4)
    expect(hashes).toEqual(expectedHashes(content))
  })

  it('does not add an empty last piece when the total is a whole number of pieces', () => {
    const whole = content.subarray(0, 2 * PIECE)
    const hashes = Buffer.alloc(2 * HASH_BYTES)
    const hasher = new PieceHasher(PIECE, hashes)
    hasher.update(whole)
    hasher.end()
    expect(hasher.pieces).toBe(2)
    expect(hashes).toEqual(expectedHashes(whole))
  })

  it('hashes nothing for empty input', () => {
    const hasher = new PieceHasher(PIECE, Buffer.alloc(0))
    hasher.update(Buffer.alloc(0))
    hasher.end()
    expect(hasher.pieces).toBe(0)
  })
})
