// A verified share description: decoded, validated and hashed once, then read-only.

import { HASH_BYTES } from '../constants.js'
import { metadataMismatch } from '../errors.js'
import type { Info } from '../types.js'
import { checkMetadataSize, decodeInfo, encodeInfo, totalLength } from './info.js'
import { discoveryKeyOf, infoHashOf, pieceHashOf } from './info-hash.js'
import { pieceCount, pieceLength } from './piece-size.js'

export class Metadata {
  readonly info: Info
  /** The encoded info: what the info hash covers and what peers send each other. */
  readonly bytes: Buffer
  readonly infoHash: Buffer
  readonly discoveryKey: Buffer
  readonly totalBytes: number
  readonly pieceCount: number
  readonly pieceSize: number
  readonly name: string

  private constructor (bytes: Buffer, infoHash: Buffer) {
    this.bytes = bytes
    this.info = freeze(decodeInfo(bytes))
    this.infoHash = infoHash
    this.discoveryKey = discoveryKeyOf(infoHash)
    this.totalBytes = totalLength(this.info)
    this.pieceSize = this.info.pieceSize
    this.pieceCount = pieceCount(this.totalBytes, this.pieceSize)
    this.name = this.info.name
  }

  /** From a locally built Info. Its own copy is decoded back from the encoding, so the
   *  result describes exactly the bytes that were hashed, whatever the caller does later. */
  static fromInfo (info: Info): Metadata {
    const bytes = encodeInfo(info)
    return new Metadata(bytes, infoHashOf(bytes))
  }

  /** From bytes a peer sent. The hash is checked before any parsing work. */
  static fromBytes (bytes: Uint8Array, expectedInfoHash?: Buffer): Metadata {
    checkMetadataSize(bytes.byteLength)
    const owned = Buffer.from(bytes) // a copy: the caller may reuse its buffer
    const infoHash = infoHashOf(owned)
    if (expectedInfoHash !== undefined && !infoHash.equals(expectedInfoHash)) throw metadataMismatch()
    return new Metadata(owned, infoHash)
  }

  pieceLength (index: number): number {
    return pieceLength(index, this.totalBytes, this.pieceSize)
  }

  /** A view into the piece hashes, not a copy. */
  pieceHash (index: number): Buffer {
    if (!this.hasPiece(index)) throw new RangeError(`piece ${index} out of range (0..${this.pieceCount - 1})`)
    return this.info.pieceHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES)
  }

  /** True when `data` is exactly piece `index`. Anything else (a wrong index or length
   *  included) is simply not a match: the data usually came from a peer. */
  verifyPiece (index: number, data: Uint8Array): boolean {
    if (!this.hasPiece(index) || data.byteLength !== this.pieceLength(index)) return false
    return pieceHashOf(data).equals(this.pieceHash(index))
  }

  /** True when `digest` is piece `index`'s hash (for a piece hashed as it arrived). */
  matchesPieceHash (index: number, digest: Uint8Array): boolean {
    return this.hasPiece(index) && this.pieceHash(index).equals(digest)
  }

  private hasPiece (index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.pieceCount
  }
}

/** Shallow-freezes the info, its file list and every entry (a Buffer cannot be frozen). */
function freeze (info: Info): Info {
  for (const file of info.files) {
    Object.freeze(file.path)
    Object.freeze(file)
  }
  Object.freeze(info.files)
  return Object.freeze(info)
}
