// One piece being assembled from its blocks. The blocks are kept as they arrived (no copy
// into a piece-sized buffer) and hashed as soon as they are contiguous from the start, so
// the hash is ready when the last block lands and the piece is written with one writev.

import { createHash, type Hash } from 'node:crypto'
import type { BlockSource } from './smart-ban.js'

export class PieceBuffer {
  readonly piece: number
  readonly length: number
  private readonly blockBytes: number
  private readonly blocks: Array<Uint8Array | undefined>
  /** Who sent each block (the first copy is the one kept). */
  private readonly senders: Array<string | undefined>
  private readonly hash: Hash = createHash('sha256')
  /** Blocks before this index are hashed. */
  private hashed = 0
  private held = 0

  constructor (piece: number, length: number, blockBytes: number) {
    this.piece = piece
    this.length = length
    this.blockBytes = blockBytes
    this.blocks = new Array<Uint8Array | undefined>(Math.ceil(length / blockBytes))
    this.senders = new Array<string | undefined>(this.blocks.length)
  }

  /** Every peer whose blocks went into this piece, once each. */
  get contributors (): string[] { return [...new Set(this.senders.filter((s) => s !== undefined))] }

  /** Bytes held in memory for this piece. */
  get bytes (): number { return this.held }

  get complete (): boolean { return this.hashed === this.blocks.length }

  /** Stores one block (its length already checked by the caller) and hashes what it can. */
  add (offset: number, data: Uint8Array, from: string): void {
    const index = offset / this.blockBytes
    if (this.blocks[index] !== undefined) return
    this.blocks[index] = data
    this.held += data.byteLength
    this.senders[index] = from
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

  /** SHA-256 of each block, in order: what smart-ban compares. */
  blockDigests (): Buffer[] {
    return this.blocks.map((block) => createHash('sha256').update(block!).digest())
  }

  /** Each block's sender and digest, once complete: what a failed piece leaves to smart-ban. */
  sources (): BlockSource[] {
    const digests = this.blockDigests()
    return digests.map((digest, i) => ({ sender: this.senders[i]!, digest }))
  }

  /** The blocks in order, for writing. */
  chunks (): Uint8Array[] {
    return this.blocks as Uint8Array[]
  }
}
