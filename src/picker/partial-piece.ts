// The block bookkeeping of one piece being downloaded: which blocks are requested and
// which have arrived. The bytes themselves live with the downloader.

import type { BlockRange } from '../types.js'

const MISSING = 0
const REQUESTED = 1
const RECEIVED = 2

export class PartialPiece {
  readonly piece: number
  readonly length: number
  private readonly blockBytes: number
  private readonly blocks: Uint8Array
  private received = 0
  /** Blocks before this index are all requested or received: picks resume here. */
  private cursor = 0

  constructor (piece: number, length: number, blockBytes: number) {
    this.piece = piece
    this.length = length
    this.blockBytes = blockBytes
    this.blocks = new Uint8Array(Math.ceil(length / blockBytes))
  }

  /** Marks up to `max` missing blocks as requested and returns them. */
  takeUnrequested (max: number): BlockRange[] {
    const taken: BlockRange[] = []
    for (let i = this.cursor; i < this.blocks.length && taken.length < max; i++) {
      if (this.blocks[i] !== MISSING) continue
      this.blocks[i] = REQUESTED
      taken.push({ piece: this.piece, offset: i * this.blockBytes, length: this.blockLength(i) })
    }
    while (this.cursor < this.blocks.length && this.blocks[this.cursor] !== MISSING) this.cursor++
    return taken
  }

  isMissing (offset: number): boolean {
    const i = this.indexOf(offset)
    return i !== -1 && this.blocks[i] !== RECEIVED
  }

  /** Returns true when this was the last block. */
  markReceived (offset: number): boolean {
    const i = this.indexOf(offset)
    if (i === -1 || this.blocks[i] === RECEIVED) return false
    this.blocks[i] = RECEIVED
    this.received++
    return this.received === this.blocks.length
  }

  release (offset: number): void {
    const i = this.indexOf(offset)
    if (i === -1 || this.blocks[i] !== REQUESTED) return
    this.blocks[i] = MISSING
    if (i < this.cursor) this.cursor = i
  }

  private indexOf (offset: number): number {
    if (offset % this.blockBytes !== 0) return -1
    const i = offset / this.blockBytes
    return i < this.blocks.length ? i : -1
  }

  private blockLength (i: number): number {
    return Math.min(this.blockBytes, this.length - i * this.blockBytes)
  }
}
