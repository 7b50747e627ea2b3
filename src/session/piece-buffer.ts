// One piece being assembled from its blocks. The blocks are kept as they arrived (no copy
// into a piece-sized buffer) and hashed as soon as they are contiguous from the start, so
// the hash is ready when the last block lands and the piece is written with one writev.

import { createHash, type Hash } from 'node:crypto'

export class PieceBuffer {
  readonly piece: number
  readonly length: number
  /** Peers whose blocks went into this piece: blamed together if its hash fails. */
  readonly contributors = new Set<string>()
  private readonly blockBytes: number
  private readonly blocks: Array<Uint8Array | undefined>
  private readonly hash: Hash = createHash('sha256')
  /** Blocks before this index are hashed. */
  private hashed = 0
  private held = 0

  constructor (piece: number, length: number, blockBytes: number) {
    this.piece = piece
    this.length = length
    this.blockBytes = blockBytes
    this.blocks = new Array<Uint8Array | undefined>(Math.ceil(length / blockBytes))
  }

  /** Bytes held in memory for this piece. */
  get bytes (): number { return this.held }

  get complete (): boolean { return this.hashed === this.blocks.length }

  /** Stores one block (its length already checked by the caller) and hashes what it can. */
  add (offset: number, data: Uint8Array, from: string): void {
    const index = offset / this.blockBytes
    if (this.blocks[index] !== undefined) return
    this.blocks[index] = data
    this.held += data.byteLength
    this.contributors.add(from)
    while (this.hashed < this.blocks.length && this.blocks[this.hashed] !== undefined) {
      this.hash.update(this.blocks[this.hashed]!)
      this.hashed++
    }
  }

  /** The piece's SHA-256; only once complete, and only once. */
  digest (): Buffer {
    if (!this.complete) throw new Error(`piece ${this.piece} is not complete`)
    return this.hash.digest()
  }

  /** The blocks in order, for writing. */
  chunks (): Uint8Array[] {
    return this.blocks as Uint8Array[]
  }
}
