// The "checking" step of a resumed download (libtorrent's name for it): which pieces that an
// interrupted run left on disk are whole and correct. Pieces are read several at a time and
// hashed as they arrive (src/piece-hashing.ts); memory stays bounded whatever the size.

import { Bitfield } from '../bitfield.js'
import { type HashOptions, type HashProgress, hashPieces } from '../piece-hashing.js'
import type { StorageMetadata } from './storage.js'

/** Storage that can read a range of the content spanning several pieces. */
export interface ContentReader {
  readContent (into: Buffer, offset: number): Promise<void>
}

export interface CheckOptions extends HashOptions {
  /** The pieces to check, ascending (default: every piece). */
  pieces?: readonly number[]
  /** After each piece, how far the check has got. */
  onProgress?: (progress: HashProgress) => void
}

/** Hashes the pieces on disk and returns those that match their hash. `onPiece` reports
 *  each as it is checked, in ascending order. */
export async function verifyExisting (
  storage: ContentReader,
  meta: Pick<StorageMetadata, 'pieceCount' | 'pieceSize' | 'totalBytes' | 'matchesPieceHash'>,
  onPiece?: (piece: number, ok: boolean) => void,
  opts: CheckOptions = {}
): Promise<Bitfield> {
  const have = new Bitfield(meta.pieceCount)
  const source = { pieceSize: meta.pieceSize, totalBytes: meta.totalBytes, read: async (into: Buffer, offset: number) => await storage.readContent(into, offset) }
  await hashPieces(source, opts.pieces ?? null, (piece, digest) => {
    const ok = meta.matchesPieceHash(piece, digest)
    if (ok) have.set(piece)
    onPiece?.(piece, ok)
  }, opts.onProgress, opts)
  return have
}
