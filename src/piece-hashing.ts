// Hashing many pieces at close to the speed of SHA-256 itself, for a share being created and
// for the pieces of a partial being checked. Consecutive pieces are read together in chunks
// of up to HASH_CHUNK_BYTES, several reads in flight (on libuv's pool) while the chunks that
// arrived are hashed; memory is HASH_READ_CONCURRENCY chunks, whatever the size.
//
// With a core to spare, the chunks are hashed by worker threads and the main thread together
// (src/hashing/hash-workers.ts), in the buffers the reads filled (shared memory: no copy);
// with one core, or when asked to, by the main thread alone. Either way the digests and the
// progress come out one piece at a time in ascending order, and a read failure is passed on
// after the pieces before it, as the same error.

import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { HASH_BYTES, HASH_CHUNK_BYTES, HASH_PARALLEL_MIN_BYTES, HASH_READ_CONCURRENCY } from './constants.js'
import { HashWorkers } from './hashing/hash-workers.js'

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

export interface HashOptions {
  /** Worker threads hashing beside the main thread. 0 hashes on the main thread only (for a
   *  node whose cores are busy transferring). By default one per core beyond the first
   *  (none on one core), at most HASH_READ_CONCURRENCY - 1 (each needs a chunk buffer to
   *  hash while another is read); none for a pass under HASH_PARALLEL_MIN_BYTES. */
  hashWorkers?: number
}

/** Consecutive pieces read as one chunk. */
interface Run {
  first: number
  count: number
  bytes: number
}

/** The worker threads a pass of `bytes` uses when not told, on a machine of `cores`. */
export function defaultHashWorkers (bytes: number, cores = availableParallelism()): number {
  if (bytes < HASH_PARALLEL_MIN_BYTES) return 0
  return Math.max(0, Math.min(cores - 1, HASH_READ_CONCURRENCY - 1))
}

/** Hashes `pieces` (ascending; all of them when null), calling `onPiece` with each digest
 *  in that order, and `onProgress` after each. */
export async function hashPieces (
  source: PieceSource,
  pieces: readonly number[] | null,
  onPiece: (piece: number, digest: Buffer) => void,
  onProgress?: (progress: HashProgress) => void,
  opts: HashOptions = {}
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
  const pass: Pass = { source, runs, lengthOf, progress, onPiece, onProgress }
  const workers = Math.min(opts.hashWorkers ?? defaultHashWorkers(progress.totalBytes), runs.length - 1)
  if (workers > 0) await hashInParallel(pass, workers)
  else await hashInline(pass)
}

interface Pass {
  source: PieceSource
  runs: Run[]
  lengthOf: (piece: number) => number
  progress: HashProgress
  onPiece: (piece: number, digest: Buffer) => void
  onProgress: ((progress: HashProgress) => void) | undefined
}

/** The main thread hashes each chunk as it arrives. */
async function hashInline ({ source, runs, lengthOf, progress, onPiece, onProgress }: Pass): Promise<void> {
  const { pieceSize } = source
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

/** What became of one run's chunk so far. */
type RunState =
  | { step: 'reading' }
  | { step: 'read' }
  | { step: 'unreadable', err: unknown }
  | { step: 'hashing' }
  | { step: 'hashed', digests: Buffer }
  | { step: 'passed on' }

/** The chunks are handed out in order as their reads complete, each to a worker thread that
 *  can take it or else hashed by the main thread; digests are passed on in order as they are
 *  ready. A chunk's buffer is read into again as soon as it is hashed (not only once passed
 *  on). */
async function hashInParallel ({ source, runs, lengthOf, progress, onPiece, onProgress }: Pass, workerCount: number): Promise<void> {
  const { pieceSize } = source
  const slots = Math.min(HASH_READ_CONCURRENCY, runs.length)
  const bufferBytes = Math.max(...runs.map((run) => run.bytes))
  const buffers = Array.from({ length: slots }, () => Buffer.from(new SharedArrayBuffer(bufferBytes)))
  const chunkOf = (index: number): Buffer => buffers[index % slots]!.subarray(0, runs[index]!.bytes)
  const states: RunState[] = runs.map(() => ({ step: 'reading' }))
  let threadFailure = null as { err: unknown } | null // set by a callback: `as` keeps TypeScript from narrowing it to null
  // The loop below sleeps when it has nothing to do; every change of state wakes it (after
  // the state is set, so it cannot miss one).
  let wake: (() => void) | null = null
  const changed = (): void => {
    const resume = wake
    wake = null
    resume?.()
  }
  const pending: Array<Promise<void>> = [] // reads and hashes, settled before returning
  const startRead = (index: number): void => {
    pending.push(source.read(chunkOf(index), runs[index]!.first * pieceSize).then(
      () => { states[index] = { step: 'read' } },
      (err: unknown) => { states[index] = { step: 'unreadable', err } }
    ).finally(changed))
  }
  let stopped = false // failed or done: no read is started any more
  const hashed = (index: number, digests: Buffer): void => {
    states[index] = { step: 'hashed', digests }
    // This chunk's buffer is free for the read `slots` runs ahead.
    if (!stopped && index + slots < runs.length) startRead(index + slots)
  }
  const workers = new HashWorkers(workerCount, changed)
  try {
    for (let index = 0; index < slots; index++) startRead(index)
    let nextHash = 0 // the next run to hand out, once read
    let nextEmit = 0 // the next run whose digests to pass on
    while (nextEmit < runs.length) {
      const state = states[nextEmit]!
      if (state.step === 'hashed') {
        states[nextEmit] = { step: 'passed on' }
        const run = runs[nextEmit++]!
        for (let i = 0; i < run.count; i++) {
          const piece = run.first + i
          onPiece(piece, Buffer.from(state.digests.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)))
          progress.pieces++
          progress.bytes += lengthOf(piece)
          onProgress?.(progress)
        }
        continue
      }
      // A read failure is passed on once every piece before it is, as the inline pass does
      // (no run after it is handed out meanwhile).
      if (state.step === 'unreadable') throw state.err
      if (threadFailure !== null) throw threadFailure.err
      if (states[nextHash]?.step === 'read') {
        const index = nextHash++
        const worker = workers.available()
        if (worker !== undefined) {
          states[index] = { step: 'hashing' }
          pending.push(worker.hash(chunkOf(index), pieceSize).then(
            (digests) => { hashed(index, digests) },
            (err: unknown) => { threadFailure ??= { err } }
          ).finally(changed))
        } else {
          hashed(index, hashChunk(chunkOf(index), pieceSize))
          // Let the reads and threads that finished meanwhile be seen before the next chunk.
          await new Promise<void>((resolve) => setImmediate(resolve))
        }
        continue
      }
      await new Promise<void>((resolve) => { wake = resolve })
    }
  } finally {
    stopped = true
    await workers.close()
    await Promise.allSettled(pending) // no read may still be filling a buffer or using a file
  }
}

/** The digests of the consecutive pieces in `chunk`, one after the other. */
function hashChunk (chunk: Buffer, pieceSize: number): Buffer {
  const count = Math.ceil(chunk.byteLength / pieceSize)
  const digests = Buffer.allocUnsafe(count * HASH_BYTES)
  for (let i = 0; i < count; i++) {
    createHash('sha256').update(chunk.subarray(i * pieceSize, (i + 1) * pieceSize)).digest().copy(digests, i * HASH_BYTES)
  }
  return digests
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
