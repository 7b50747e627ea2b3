// Pieces held in memory, for tests of the session and protocol without a disk.

import { closed, ioError } from '../errors.js'
import { Layout } from './layout.js'
import { chunksOf, type PieceData, type PieceStorage, type StorageMetadata } from './storage.js'

export class MemoryStorage implements PieceStorage {
  private readonly layout: Layout
  private readonly pieces = new Map<number, Buffer>()
  private closed = false

  /** `contents`, the whole content, seeds every piece (a seeder); without it, none (a
   *  fresh download). */
  constructor (meta: Pick<StorageMetadata, 'info'>, contents?: Buffer) {
    this.layout = new Layout(meta.info)
    if (contents === undefined) return
    if (contents.byteLength !== this.layout.totalBytes) {
      throw new RangeError(`contents of ${contents.byteLength} bytes for a share of ${this.layout.totalBytes}`)
    }
    for (let piece = 0; piece < this.layout.pieceCount; piece++) {
      const start = piece * this.layout.pieceSize
      this.pieces.set(piece, Buffer.from(contents.subarray(start, start + this.layout.pieceLength(piece))))
    }
  }

  has (piece: number): boolean {
    return this.pieces.has(piece)
  }

  /** The whole content, or null while a piece is missing. */
  contents (): Buffer | null {
    if (this.pieces.size < this.layout.pieceCount) return null
    return Buffer.concat([...Array(this.layout.pieceCount).keys()].map((piece) => this.pieces.get(piece)!))
  }

  async read (piece: number, offset: number, length: number): Promise<Buffer> {
    if (this.closed) throw closed('storage')
    const pieceLength = this.layout.pieceLength(piece)
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > pieceLength) {
      throw new RangeError(`read of ${length} bytes at ${offset} outside piece ${piece} of ${pieceLength} bytes`)
    }
    const data = this.pieces.get(piece)
    // A disk would return holes; failing instead makes a session that serves a piece it
    // does not have visible in tests.
    if (data === undefined) throw ioError(`cannot read piece ${piece}`, 'it was never written')
    return Buffer.from(data.subarray(offset, offset + length))
  }

  /** Fills `into` with the content from `offset`, across pieces (each must be held). */
  async readContent (into: Buffer, offset: number): Promise<void> {
    let at = 0
    while (at < into.byteLength) {
      const piece = Math.floor((offset + at) / this.layout.pieceSize)
      const within = offset + at - piece * this.layout.pieceSize
      const take = Math.min(into.byteLength - at, this.layout.pieceLength(piece) - within)
      ;(await this.read(piece, within, take)).copy(into, at)
      at += take
    }
  }

  async writePiece (piece: number, data: PieceData): Promise<void> {
    if (this.closed) throw closed('storage')
    const pieceLength = this.layout.pieceLength(piece)
    // A copy: the caller may reuse its buffers.
    const bytes = Buffer.concat(chunksOf(data))
    if (bytes.byteLength !== pieceLength) {
      throw new RangeError(`piece ${piece} is ${pieceLength} bytes, got ${bytes.byteLength}`)
    }
    this.pieces.set(piece, bytes)
  }

  async close (): Promise<void> {
    this.closed = true
  }
}
