import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HASH_CHUNK_BYTES, HASH_READ_CONCURRENCY } from '../../src/constants.js'
import { type HashProgress, hashPieces } from '../../src/piece-hashing.js'

const KiB = 1024
const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()

/** Content in memory, with a log of the reads asked for and how many ran at once. */
function source (content: Buffer, pieceSize: number): { read: (into: Buffer, offset: number) => Promise<void>, pieceSize: number, totalBytes: number, reads: Array<[number, number]>, maxConcurrent: () => number } {
  const reads: Array<[number, number]> = []
  let running = 0
  let max = 0
  return {
    pieceSize,
    totalBytes: content.byteLength,
    reads,
    maxConcurrent: () => max,
    read: async (into, offset) => {
      reads.push([offset, into.byteLength])
      max = Math.max(max, ++running)
      await new Promise((resolve) => setImmediate(resolve))
      content.copy(into, 0, offset, offset + into.byteLength)
      running--
    }
  }
}

describe('hashPieces', () => {
  it('hashes every piece, the short last one included, in order, several reads in flight', async () => {
    const pieceSize = 64 * KiB
    const content = randomBytes(3 * HASH_CHUNK_BYTES + 5 * pieceSize + 77)
    const src = source(content, pieceSize)
    const digests: Array<[number, Buffer]> = []
    const progress: HashProgress[] = []
    await hashPieces(src, null, (piece, digest) => digests.push([piece, digest]), (p) => progress.push({ ...p }))
    const count = Math.ceil(content.byteLength / pieceSize)
    expect(digests.map(([piece]) => piece)).toEqual(Array.from({ length: count }, (_, i) => i))
    for (const [piece, digest] of digests) expect(digest).toEqual(sha256(content.subarray(piece * pieceSize, (piece + 1) * pieceSize)))
    // Whole chunks of consecutive pieces, never more than HASH_READ_CONCURRENCY at once.
    expect(src.reads.every(([offset, length]) => offset % pieceSize === 0 && length <= HASH_CHUNK_BYTES)).toBe(true)
    expect(src.reads).toHaveLength(4)
    expect(src.maxConcurrent()).toBe(HASH_READ_CONCURRENCY)
    expect(progress.at(-1)).toEqual({ pieces: count, pieceCount: count, bytes: content.byteLength, totalBytes: content.byteLength })
    expect(progress.map((p) => p.pieces)).toEqual(Array.from({ length: count }, (_, i) => i + 1))
  })

  it('hashes only the pieces asked for, reading runs of consecutive ones together', async () => {
    const pieceSize = 16 * KiB
    const content = randomBytes(20 * pieceSize + 100)
    const src = source(content, pieceSize)
    const seen: number[] = []
    let last: HashProgress | null = null
    await hashPieces(src, [1, 2, 3, 7, 20], (piece, digest) => {
      seen.push(piece)
      expect(digest).toEqual(sha256(content.subarray(piece * pieceSize, (piece + 1) * pieceSize)))
    }, (p) => { last = { ...p } })
    expect(seen).toEqual([1, 2, 3, 7, 20])
    expect(src.reads).toEqual([[pieceSize, 3 * pieceSize], [7 * pieceSize, pieceSize], [20 * pieceSize, 100]])
    expect(last).toEqual({ pieces: 5, pieceCount: 5, bytes: 4 * pieceSize + 100, totalBytes: 4 * pieceSize + 100 })
  })

  it('does nothing for no pieces, refuses a piece out of range, and passes a read failure on', async () => {
    const src = source(randomBytes(1000), 16 * KiB)
    await hashPieces(src, [], () => { throw new Error('no piece expected') })
    expect(src.reads).toEqual([])
    await expect(hashPieces(src, [1], () => {})).rejects.toThrow(RangeError)
    const failing = { ...src, read: async () => { throw new Error('EIO') } }
    await expect(hashPieces(failing, null, () => {})).rejects.toThrow('EIO')
  })
})
