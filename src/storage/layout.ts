// Where the bytes of a share live: its content is its files concatenated in order, and a
// piece or block is a range of that content. This maps such a range onto file ranges.
// Pure arithmetic; the storage backends do the I/O.

import type { FileSpan, Info } from '../types.js'

export class Layout {
  readonly totalBytes: number
  readonly pieceSize: number
  readonly pieceCount: number
  readonly fileCount: number
  /** starts[i] is where file i begins in the content; starts[fileCount] === totalBytes.
   *  Float64Array: exact for every integer a file size can be, and one allocation. */
  private readonly starts: Float64Array

  constructor (info: Info) {
    this.fileCount = info.files.length
    this.starts = new Float64Array(this.fileCount + 1)
    let offset = 0
    for (let i = 0; i < this.fileCount; i++) {
      this.starts[i] = offset
      offset += info.files[i]!.length
    }
    this.starts[this.fileCount] = offset
    this.totalBytes = offset
    this.pieceSize = info.pieceSize
    this.pieceCount = Math.ceil(offset / info.pieceSize)
  }

  /** Where file `file` lies in the content: [start, end). */
  fileRange (file: number): { start: number, end: number } {
    if (!Number.isInteger(file) || file < 0 || file >= this.fileCount) {
      throw new RangeError(`file ${file} out of range (${this.fileCount} files)`)
    }
    return { start: this.starts[file]!, end: this.starts[file + 1]! }
  }

  /** The file ranges holding content bytes [offset, offset + length), in order.
   *  Zero-length files hold no bytes, so they never appear. */
  spans (offset: number, length: number): FileSpan[] {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 ||
      offset + length > this.totalBytes) {
      throw new RangeError(`range of ${length} bytes at ${offset} outside content of ${this.totalBytes} bytes`)
    }
    const spans: FileSpan[] = []
    if (length === 0) return spans
    const end = offset + length
    let position = offset
    for (let file = this.fileAt(offset); position < end; file++) {
      const fileEnd = this.starts[file + 1]!
      if (fileEnd === position) continue // zero-length file
      const take = Math.min(fileEnd, end) - position
      spans.push({ file, fileOffset: position - this.starts[file]!, length: take })
      position += take
    }
    return spans
  }

  /** Bytes in piece `piece`: pieceSize, except for a shorter last piece. */
  pieceLength (piece: number): number {
    if (!Number.isInteger(piece) || piece < 0 || piece >= this.pieceCount) {
      throw new RangeError(`piece ${piece} out of range (${this.pieceCount} pieces)`)
    }
    return Math.min(this.pieceSize, this.totalBytes - piece * this.pieceSize)
  }

  /** The file ranges holding piece `piece`, in order. */
  pieceSpans (piece: number): FileSpan[] {
    return this.spans(piece * this.pieceSize, this.pieceLength(piece))
  }

  /** The file holding content byte `offset` (< totalBytes): the last file starting at or
   *  before it. Zero-length files start where the next file starts, so "last" skips them. */
  private fileAt (offset: number): number {
    let low = 0
    let high = this.fileCount - 1
    while (low < high) {
      const middle = (low + high + 1) >>> 1
      if (this.starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return low
  }
}
