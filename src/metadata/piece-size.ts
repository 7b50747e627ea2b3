// Piece arithmetic: how a share of `totalBytes` is cut into pieces of `pieceSize`.

import { BLOCK_BYTES, MAX_PIECE_BYTES, MIN_AUTO_PIECE_COUNT, MIN_PIECE_BYTES, PREFERRED_MIN_PIECE_BYTES, TARGET_PIECE_COUNT } from '../constants.js'
import { invalidOption, invalidPieceSize } from '../errors.js'

/** Smallest power of two that yields about TARGET_PIECE_COUNT pieces, within the limits;
 *  for smaller shares, grown towards PREFERRED_MIN_PIECE_BYTES while MIN_AUTO_PIECE_COUNT
 *  pieces remain (every piece costs a hash in the metadata, fetched before anything else,
 *  and a request and a have on the wire). A share with MIN_AUTO_PIECE_COUNT pieces of a full
 *  block or more gets pieces of at least a block: per-piece costs (a hash, a write, a have to
 *  every peer, the picker's bookkeeping) then shrink with the block count. */
export function choosePieceSize (totalBytes: number): number {
  const target = totalBytes / TARGET_PIECE_COUNT
  let size = MIN_PIECE_BYTES
  while (size < target && size < MAX_PIECE_BYTES) size *= 2
  while (size < PREFERRED_MIN_PIECE_BYTES && totalBytes / (size * 2) >= MIN_AUTO_PIECE_COUNT) size *= 2
  if (size < BLOCK_BYTES && totalBytes / BLOCK_BYTES >= MIN_AUTO_PIECE_COUNT) size = BLOCK_BYTES
  return size
}

export function isValidPieceSize (pieceSize: number): boolean {
  return Number.isInteger(pieceSize) &&
    pieceSize >= MIN_PIECE_BYTES &&
    pieceSize <= MAX_PIECE_BYTES &&
    (pieceSize & (pieceSize - 1)) === 0 // safe: MAX_PIECE_BYTES < 2^31
}

export function validatePieceSize (pieceSize: number): void {
  if (!isValidPieceSize(pieceSize)) {
    throw invalidPieceSize(`${pieceSize} is not a power of two between ${MIN_PIECE_BYTES} and ${MAX_PIECE_BYTES} bytes`)
  }
}

/** Number of pieces; an empty share has none. */
export function pieceCount (totalBytes: number, pieceSize: number): number {
  return Math.ceil(totalBytes / pieceSize)
}

/** Bytes in piece `index`: pieceSize, except the last piece holds what is left. */
export function pieceLength (index: number, totalBytes: number, pieceSize: number): number {
  const count = pieceCount(totalBytes, pieceSize)
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    // A caller bug, not bad input: the wire layer checks indices before they get here.
    throw new RangeError(`piece ${index} out of range (0..${count - 1})`)
  }
  return Math.min(pieceSize, totalBytes - index * pieceSize)
}

const UNIT_SHIFT: Record<string, number> = { '': 0, k: 10, m: 20, g: 30 }

/** Parses "16384", "256K", "1M", "4MiB", "1GB" (binary units, case-insensitive). */
export function parseByteSize (text: string): number {
  const match = /^(\d+)(?:([kmg])(?:i?b)?|b)?$/i.exec(text.trim())
  if (match === null) {
    throw invalidOption(`invalid size "${text}": expected a whole number of bytes with an optional K, M or G suffix (e.g. 256K, 4MiB)`)
  }
  const bytes = Number(match[1]) * 2 ** UNIT_SHIFT[(match[2] ?? '').toLowerCase()]!
  if (!Number.isSafeInteger(bytes)) throw invalidOption(`invalid size "${text}": too large`)
  return bytes
}
