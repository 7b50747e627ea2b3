import { createHash, randomBytes } from 'node:crypto'
import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { HASH_CHUNK_BYTES, HASH_PARALLEL_MIN_BYTES, HASH_READ_CONCURRENCY } from '../../src/constants.js'
import { HashWorker } from '../../src/hashing/hash-workers.js'
import { defaultHashWorkers, type HashProgress, hashPieces, type PieceSource } from '../../src/piece-hashing.js'

const KiB = 1024
const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()

/** Content in memory; reads of any chunk but the first wait for `gate` (when given). */
function source (content: Buffer, pieceSize: number, gate?: Promise<void>): PieceSource & { reads: number } {
  const src = {
    pieceSize,
    totalBytes: content.byteLength,
    reads: 0,
    read: async (into: Buffer, offset: number) => {
      src.reads++
      if (offset > 0 && gate !== undefined) await gate
      await new Promise((resolve) => setImmediate(resolve))
      content.copy(into, 0, offset, offset + into.byteLength)
    }
  }
  return src
}

/** The worker threads started from now on, and a promise that the first is up. */
function watchThreads (): { threads: Worker[], firstOnline: Promise<void> } {
  const threads: Worker[] = []
  let online!: () => void
  const firstOnline = new Promise<void>((resolve) => { online = resolve })
  const started = (worker: Worker): void => {
    if (threads.length === 0) worker.once('online', online)
    threads.push(worker)
  }
  process.on('worker', started)
  onTestFinished(() => { process.off('worker', started) })
  return { threads, firstOnline }
}

/** Every digest and every progress the inline pass gives. */
async function inlinePass (src: PieceSource, pieces: readonly number[] | null): Promise<{ digests: Array<[number, Buffer]>, progress: HashProgress[] }> {
  const digests: Array<[number, Buffer]> = []
  const progress: HashProgress[] = []
  await hashPieces(src, pieces, (piece, digest) => digests.push([piece, digest]), (p) => progress.push({ ...p }), { hashWorkers: 0 })
  return { digests, progress }
}

const exited = async (worker: Worker): Promise<void> => {
  if (worker.threadId === -1) return // already gone
  await new Promise<void>((resolve) => worker.once('exit', () => { resolve() }))
}

describe('hashPieces on worker threads', () => {
  afterEach(() => { vi.restoreAllMocks() })

  for (const pieceSize of [16 * KiB, 256 * KiB, 4 * 1024 * KiB]) {
    it(`gives the digests and progress of the inline pass, ${pieceSize / KiB} KiB pieces with a short last one`, async () => {
      const { threads, firstOnline } = watchThreads()
      const content = randomBytes(3 * HASH_CHUNK_BYTES + 3 * pieceSize + 1234)
      // Only the first chunk is read before a thread is up: the rest must go to it or wait.
      const src = source(content, pieceSize, firstOnline)
      const handedOut = vi.spyOn(HashWorker.prototype, 'hash')
      const digests: Array<[number, Buffer]> = []
      const progress: HashProgress[] = []
      await hashPieces(src, null, (piece, digest) => digests.push([piece, digest]), (p) => progress.push({ ...p }), { hashWorkers: 1 })
      const count = Math.ceil(content.byteLength / pieceSize)
      expect(digests.map(([piece]) => piece)).toEqual(Array.from({ length: count }, (_, i) => i))
      for (const [piece, digest] of digests) expect(digest).toEqual(sha256(content.subarray(piece * pieceSize, (piece + 1) * pieceSize)))
      expect(progress).toEqual((await inlinePass(source(content, pieceSize), null)).progress)
      expect(progress.at(-1)).toEqual({ pieces: count, pieceCount: count, bytes: content.byteLength, totalBytes: content.byteLength })
      expect(handedOut).toHaveBeenCalled()
      expect(threads).toHaveLength(1)
      await exited(threads[0]!) // ended with the pass (terminate() resolves once it has exited)
      expect(threads[0]!.threadId).toBe(-1)
    })
  }

  it('hashes only the pieces asked for, two threads, in order', async () => {
    const { threads, firstOnline } = watchThreads()
    const pieceSize = 64 * KiB
    const content = randomBytes(6 * HASH_CHUNK_BYTES + 100)
    const pieces = [0, 1, 2, 70, 71, 150, 200, 201, 202, 203, 300, 384]
    const handedOut = vi.spyOn(HashWorker.prototype, 'hash')
    const seen: Array<[number, Buffer]> = []
    const progress: HashProgress[] = []
    await hashPieces(source(content, pieceSize, firstOnline), pieces, (piece, digest) => seen.push([piece, digest]), (p) => progress.push({ ...p }), { hashWorkers: 2 })
    const inline = await inlinePass(source(content, pieceSize), pieces)
    expect(seen).toEqual(inline.digests)
    expect(progress).toEqual(inline.progress)
    expect(handedOut).toHaveBeenCalled()
    expect(threads).toHaveLength(2)
    for (const thread of threads) expect(thread.threadId).toBe(-1)
  })

  it('passes a read failure on as the same error, after the pieces before it, and ends its threads', async () => {
    const { threads, firstOnline } = watchThreads()
    const pieceSize = 256 * KiB
    const content = randomBytes(6 * HASH_CHUNK_BYTES)
    const unreadable = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })
    const failing = (gate?: Promise<void>): PieceSource => {
      const src = source(content, pieceSize, gate)
      return { ...src, read: async (into, offset) => { if (offset >= 3 * HASH_CHUNK_BYTES) throw unreadable; await src.read(into, offset) } }
    }
    const passed: number[] = []
    const err = await hashPieces(failing(firstOnline), null, (piece) => passed.push(piece), undefined, { hashWorkers: 1 }).catch((e: unknown) => e)
    expect(err).toBe(unreadable)
    const inlinePassed: number[] = []
    const inlineErr = await hashPieces(failing(), null, (piece) => inlinePassed.push(piece), undefined, { hashWorkers: 0 }).catch((e: unknown) => e)
    expect(inlineErr).toBe(unreadable)
    expect(passed).toEqual(inlinePassed)
    expect(passed).toHaveLength(3 * HASH_CHUNK_BYTES / pieceSize)
    expect(threads).toHaveLength(1)
    expect(threads[0]!.threadId).toBe(-1)
  })

  it('passes on a failure of the caller and ends its threads', async () => {
    const { threads } = watchThreads()
    const content = randomBytes(4 * HASH_CHUNK_BYTES)
    const refused = new Error('refused')
    await expect(hashPieces(source(content, 64 * KiB), null, (piece) => { if (piece === 100) throw refused }, undefined, { hashWorkers: 1 }))
      .rejects.toBe(refused)
    for (const thread of threads) expect(thread.threadId).toBe(-1)
  })

  it('starts no thread for one chunk, nor by default for a small pass or on one core', async () => {
    const { threads } = watchThreads()
    const content = randomBytes(HASH_CHUNK_BYTES)
    await hashPieces(source(content, 64 * KiB), null, () => {}, undefined, { hashWorkers: 2 })
    await hashPieces(source(randomBytes(3 * HASH_CHUNK_BYTES), 64 * KiB), null, () => {})
    expect(threads).toHaveLength(0)
    expect(defaultHashWorkers(HASH_PARALLEL_MIN_BYTES - 1, 2)).toBe(0)
    // One thread per core beyond the main one's, while there are chunk buffers for them.
    expect([1, 2, 3, 16].map((cores) => defaultHashWorkers(HASH_PARALLEL_MIN_BYTES, cores))).toEqual([0, 1, 2, HASH_READ_CONCURRENCY - 1])
  })
})

describe('HashWorker', () => {
  it('hashes the consecutive pieces of a shared chunk, the short last one included', async () => {
    let online!: () => void
    const up = new Promise<void>((resolve) => { online = resolve })
    const worker = new HashWorker(online)
    expect(worker.canTake).toBe(false)
    await up
    const pieceSize = 16 * KiB
    const chunk = Buffer.from(new SharedArrayBuffer(5 * pieceSize + 7))
    chunk.set(randomBytes(chunk.byteLength))
    const digests = await worker.hash(chunk, pieceSize)
    expect(digests.byteLength).toBe(6 * 32)
    for (let i = 0; i < 6; i++) expect(digests.subarray(i * 32, (i + 1) * 32)).toEqual(sha256(chunk.subarray(i * pieceSize, (i + 1) * pieceSize)))
    expect(worker.canTake).toBe(true)
    await worker.terminate()
    expect(worker.canTake).toBe(false)
  })
})
