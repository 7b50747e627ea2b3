// Reused buffers for the blocks an uploader reads from storage. A seeder reads every block it
// sends into memory, and a fresh 1 MiB buffer per block is garbage V8 only reclaims with a
// full collection (external memory): 256 MiB 1→1, the sharer's user CPU fell by about a quarter
// when its reads went into reused buffers. A block is copied into its frame when it is sent,
// so its buffer is free again right after; one whose peer went away is simply dropped.

import { BLOCK_BYTES, UPLOAD_POOLED_BLOCKS } from '../constants.js'

export class BlockBuffers {
  private readonly free: Buffer[] = []

  /** Buffers of `blockBytes`, at most `maxFree` kept for reuse (bounded memory). */
  constructor (private readonly blockBytes: number, private readonly maxFree: number) {}

  /** A buffer for a read of `length` bytes: a pooled one for a whole block, else a fresh one. */
  take (length: number): Buffer {
    if (length !== this.blockBytes) return Buffer.allocUnsafe(length)
    return this.free.pop() ?? Buffer.allocUnsafe(this.blockBytes)
  }

  /** Gives back a buffer from take() once nothing refers to it any more. */
  give (buffer: Buffer): void {
    if (buffer.byteLength === this.blockBytes && this.free.length < this.maxFree) this.free.push(buffer)
  }

  get freeCount (): number { return this.free.length }
}

/** The pool every uploader of the process shares: its memory does not grow with the shares seeded. */
export const uploadBlockBuffers = new BlockBuffers(BLOCK_BYTES, UPLOAD_POOLED_BLOCKS)
