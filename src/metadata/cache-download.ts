// A complete download is content this node has hashed, in effect: its metadata goes in the
// cache under the folder's files as they are now, so sharing that folder later gives the
// same link at once, without hashing.

import { walkShare } from './create.js'
import type { Metadata } from './metadata.js'
import type { MetadataCache } from './metadata-cache.js'
import { choosePieceSize } from './piece-size.js'

/** Stores `meta` for the files at `path`: under the automatic piece size's key when it is
 *  that size, and under its own (`--piece-size`) in any case. Only for a whole share (not a
 *  selection), and not when the folder now holds entries sharing would skip. Best effort:
 *  never throws. */
export async function cacheDownload (cache: MetadataCache, path: string, meta: Metadata): Promise<void> {
  try {
    const layout = await walkShare(path)
    if (layout.skipped.length > 0) return
    if (meta.pieceSize === choosePieceSize(meta.totalBytes)) await cache.store(layout, undefined, meta)
    await cache.store(layout, meta.pieceSize, meta)
  } catch {
    // Not cached: sharing it hashes it, as for any other folder.
  }
}
