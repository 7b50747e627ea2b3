// Worker threads that hash runs of consecutive pieces in buffers shared with the main thread
// (a SharedArrayBuffer: nothing is copied, the digests come back, 32 bytes a piece). Started
// for one hashing pass and terminated at its end, so no thread outlives the pass or keeps
// the process alive.
//
// The worker is given its code as a string (`eval: true`) rather than a file: the same code
// then runs from the built dist/ and from the .ts sources under vitest, where a worker file
// would be TypeScript that plain node cannot load. It is plain CommonJS JavaScript, small on
// purpose, hashing with node:crypto exactly as the inline path does.

import { Worker } from 'node:worker_threads'
import { HASH_BYTES, HASH_THREAD_QUEUE } from '../constants.js'

const WORKER_CODE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
parentPort.on('message', ({ chunk, pieceSize }) => {
  const count = Math.ceil(chunk.byteLength / pieceSize)
  const digests = new Uint8Array(count * ${HASH_BYTES})
  for (let i = 0; i < count; i++) {
    const piece = chunk.subarray(i * pieceSize, Math.min(chunk.byteLength, (i + 1) * pieceSize))
    digests.set(createHash('sha256').update(piece).digest(), i * ${HASH_BYTES})
  }
  parentPort.postMessage(digests, [digests.buffer])
})
`

interface Job {
  resolve: (digests: Buffer) => void
  reject: (err: Error) => void
}

/** One hashing thread: hashes the chunks given in turn, HASH_THREAD_QUEUE at most given. */
export class HashWorker {
  private readonly worker: Worker
  private readonly jobs: Job[] = [] // in the order given: the thread answers in that order
  private failure: Error | null = null
  private online = false

  /** `onOnline` is called once the thread is up (free to take chunks); when a chunk is
   *  done, the promise hash() returned says so. */
  constructor (onOnline: () => void) {
    this.worker = new Worker(WORKER_CODE, { eval: true })
    this.worker.on('online', () => {
      this.online = true
      onOnline()
    })
    this.worker.on('message', (digests: Uint8Array) => {
      this.jobs.shift()?.resolve(Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength))
    })
    this.worker.on('error', (err) => { this.fail(err) })
    this.worker.on('exit', (code) => { this.fail(new Error(`a hashing thread exited (code ${code})`)) })
  }

  /** Started and free to take a chunk (hashed at once, or right after the one it is on).
   *  Until the thread is up (some 20 ms) the main thread hashes instead. */
  get canTake (): boolean {
    return this.online && this.jobs.length < HASH_THREAD_QUEUE && this.failure === null
  }

  /** The digests of the consecutive pieces `chunk` holds (its memory must be shared). */
  async hash (chunk: Buffer, pieceSize: number): Promise<Buffer> {
    if (!this.canTake) throw new Error('the hashing thread has chunks enough')
    return await new Promise<Buffer>((resolve, reject) => {
      this.jobs.push({ resolve, reject })
      this.worker.postMessage({ chunk, pieceSize })
    })
  }

  async terminate (): Promise<void> {
    this.failure ??= new Error('the hashing thread was stopped')
    await this.worker.terminate()
  }

  private fail (err: Error): void {
    if (this.failure === null) this.failure = err
    for (const job of this.jobs.splice(0)) job.reject(err)
  }
}

/** `count` hashing threads for one pass; `onOnline` is called as each comes up. */
export class HashWorkers {
  readonly workers: HashWorker[]

  constructor (count: number, onOnline: () => void) {
    this.workers = Array.from({ length: count }, () => new HashWorker(onOnline))
  }

  /** A thread free to take a chunk now, if any. */
  available (): HashWorker | undefined {
    return this.workers.find((worker) => worker.canTake)
  }

  async close (): Promise<void> {
    await Promise.all(this.workers.map(async (worker) => await worker.terminate()))
  }
}
