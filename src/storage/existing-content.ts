// `get` into a folder that already holds the content, or some of it (copied by hand, an
// older download, a share of the same files): which of its pieces are already there and
// right. Read only: a piece counts when every file it lies in exists with its exact size and
// the bytes hash right. Nothing is written; whether the content is adopted is the caller's.

import type { Bitfield } from '../bitfield.js'
import type { HashProgress } from '../piece-hashing.js'
import { FileStorage } from './file-storage.js'
import { fileStatesAt } from './file-states.js'
import type { Layout } from './layout.js'
import { verifyExisting } from './recheck.js'
import type { StorageMetadata } from './storage.js'

export async function piecesAlreadyThere (path: string, meta: StorageMetadata, layout: Layout, onChecking?: (progress: HashProgress) => void): Promise<Bitfield> {
  const states = await fileStatesAt(path, meta.info, false)
  const rightSize = states.map((state, file) => state !== null && state.size === meta.info.files[file]!.length)
  const candidates: number[] = []
  for (let piece = 0; piece < layout.pieceCount; piece++) {
    if (layout.pieceSpans(piece).every((span) => rightSize[span.file])) candidates.push(piece)
  }
  const storage = new FileStorage(path, meta, false, false)
  try {
    return await verifyExisting(storage, meta, undefined, { pieces: candidates, ...(onChecking !== undefined ? { onProgress: onChecking } : {}) })
  } finally {
    await storage.close()
  }
}
