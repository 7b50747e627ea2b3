// The "checking" step of a resumed download (libtorrent's name for it): which pieces that an
// interrupted run left on disk are already whole and correct.

import { Bitfield } from '../bitfield.js'
import type { PieceStorage, StorageMetadata } from './storage.js'

/** Reads and hashes every piece, one at a time (memory: one piece), and returns the pieces
 *  whose hash matches. `onPiece` reports each as it is checked, for progress. */
export async function verifyExisting (
  storage: PieceStorage,
  meta: Pick<StorageMetadata, 'pieceCount' | 'pieceLength' | 'verifyPiece'>,
  onPiece?: (piece: number, ok: boolean) => void
): Promise<Bitfield> {
  const have = new Bitfield(meta.pieceCount)
  for (let piece = 0; piece < meta.pieceCount; piece++) {
    const data = await storage.read(piece, 0, meta.pieceLength(piece))
    const ok = meta.verifyPiece(piece, data)
    if (ok) have.set(piece)
    onPiece?.(piece, ok)
  }
  return have
}
