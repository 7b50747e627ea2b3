// Cuts a byte stream into pieces and hashes each one, whatever the size of the chunks it
// is fed: reading in large chunks stays fast even when pieces are small.

import { createHash, type Hash } from 'node:crypto'
import { HASH_BYTES } from '../constants.js'

export class PieceHasher {
  private readonly pieceSize: number
  /** pieces × HASH_BYTES, written in place. */
  private readonly hashes: Buffer
  private hash: Hash = createHash('sha256')
  private pieceBytes = 0
  private pieceIndex = 0

  constructor (pieceSize: number, hashes: Buffer) {
    this.pieceSize = pieceSize
    this.hashes = hashes
  }

  /** Pieces hashed so far. */
  get pieces (): number { return this.pieceIndex }

  update (data: Uint8Array): void {
    let offset = 0
    while (offset < data.byteLength) {
      const take = Math.min(this.pieceSize - this.pieceBytes, data.byteLength - offset)
      this.hash.update(data.subarray(offset, offset + take))
      this.pieceBytes += take
      offset += take
      if (this.pieceBytes === this.pieceSize) this.finishPiece()
    }
  }

  /** Finishes the last, shorter piece if there is one. */
  end (): void {
    if (this.pieceBytes > 0) this.finishPiece()
  }

  private finishPiece (): void {
    this.hash.digest().copy(this.hashes, this.pieceIndex * HASH_BYTES)
    this.pieceIndex++
    this.hash = createHash('sha256')
    this.pieceBytes = 0
  }
}
