// Hashing many pieces at close to the speed of SHA-256 itself, for a share being created and
// for the pieces of a partial being checked. Consecutive pieces are read together in chunks
// of up to HASH_CHUNK_BYTES, several reads in flight (on libuv's pool) while the main thread
// hashes the chunk that arrived; memory is HASH_READ_CONCURRENCY chunks, whatever the size.

import { createHash } from 'node:crypto'
import { HASH_CHUNK_BYTES, HASH_READ_CONCURRENCY } from './constants.js'

/** How far a hashing pass has got: pieces and bytes done, of those it has to hash. */
export interface HashProgress {
  pieces: number
  pieceCount: number
  bytes: number
  totalBytes: number
}

/** The content the pieces are cut from. */
export interface PieceSource {
  pieceSize: number
  totalBytes: number
  /** Fills `into` whole with the content bytes starting at `offset`. */
  read: (into: Buffer, offset: number) => Promise<void>
}

/** Consecutive pieces read as one chunk. */
interface Run {
  first: number
  count: number
  bytes: number
}

/** Hashes `pieces` (ascending; all of them when null), calling `onPiece` with each digest
 *  in that order, and `onProgress` after each. */
export async function hashPieces (
  source: PieceSource,
  pieces: readonly number[] | null,
  onPiece: (piece: number, digest: Buffer) => void,
  onProgress?: (progress: HashProgress) => void
): Promise<void> {
  const { pieceSize, totalBytes } = source
  const pieceCount = Math.ceil(totalBytes / pieceSize)
  const lengthOf = (piece: number): number => Math.min(pieceSize, totalBytes - piece * pieceSize)
  const runs = toRuns(pieces ?? null, pieceCount, pieceSize, lengthOf)
  if (runs.length === 0) return
  const progress: HashProgress = { pieces: 0, pieceCount: 0, bytes: 0, totalBytes: 0 }
  for (const run of runs) {
    progress.pieceCount += run.count
    progress.totalBytes += run.bytes
  }
  const slots = Math.min(HASH_READ_CONCURRENCY, runs.length)
  const bufferBytes = Math.max(...runs.map((run) => run.bytes))
  const buffers = Array.from({ length: slots }, () => Buffer.allocUnsafe(bufferBytes))
  const reads: Array<Promise<void>> = []
  const startRead = (index: number): void => {
    const run = runs[index]!
    const read = source.read(buffers[index % slots]!.subarray(0, run.bytes), run.first * pieceSize)
    read.catch(() => {}) // awaited in order below; this only keeps an early failure from counting as unhandled
    reads[index % slots] = read
  }
  try {
    for (let index = 0; index < slots; index++) startRead(index)
    for (let index = 0; index < runs.length; index++) {
      await reads[index % slots]
      const run = runs[index]!
      const chunk = buffers[index % slots]!
      let at = 0
      for (let piece = run.first; piece < run.first + run.count; piece++) {
        const length = lengthOf(piece)
        onPiece(piece, createHash('sha256').update(chunk.subarray(at, at + length)).digest())
        at += length
        progress.pieces++
        progress.bytes += length
        onProgress?.(progress)
      }
      // Only now is this chunk's buffer free for the read `slots` runs ahead.
      if (index + slots < runs.length) startRead(index + slots)
    }
  } finally {
    await Promise.allSettled(reads) // no read may still be filling a buffer or using a file
  }
}

/** Passes on the first and the last progress and at most one per `intervalMs` between
 *  (each a copy: hashPieces updates one object in place). */
export function throttleProgress (report: (progress: HashProgress) => void, intervalMs: number): (progress: HashProgress) => void {
  let last = -Infinity
  return (progress) => {
    const now = Date.now()
    const edge = progress.pieces <= 1 || progress.pieces === progress.pieceCount
    if (!edge && now - last < intervalMs) return
    last = now
    report({ ...progress })
  }
}

function toRuns (pieces: readonly number[] | null, pieceCount: number, pieceSize: number, lengthOf: (piece: number) => number): Run[] {
  const perRun = Math.max(1, Math.floor(HASH_CHUNK_BYTES / pieceSize))
  const runs: Run[] = []
  const add = (piece: number): void => {
    const last = runs.at(-1)
    if (last !== undefined && last.first + last.count === piece && last.count < perRun) {
      last.count++
      last.bytes += lengthOf(piece)
    } else {
      runs.push({ first: piece, count: 1, bytes: lengthOf(piece) })
    }
  }
  if (pieces === null) {
    for (let piece = 0; piece < pieceCount; piece++) add(piece)
  } else {
    for (const piece of pieces) {
      if (!Number.isInteger(piece) || piece < 0 || piece >= pieceCount) throw new RangeError(`piece ${piece} out of range (${pieceCount} pieces)`)
      add(piece)
    }
  }
  return runs
}
