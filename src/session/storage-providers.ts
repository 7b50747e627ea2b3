// The two places a session's pieces live: the original files of a share, or a download in
// progress that is renamed into place once complete.

import { Bitfield } from '../bitfield.js'
import type { Metadata } from '../metadata/metadata.js'
import { createDownload, type DownloadStorage, openShare } from '../storage/file-storage.js'
import { verifyExisting } from '../storage/recheck.js'
import type { StorageProvider } from './session.js'

/** Seeds the file or folder at `path`, whose pieces were just hashed. */
export function shareStorage (path: string): StorageProvider {
  return {
    open: async (meta: Metadata) => ({ storage: await openShare(path, meta), have: Bitfield.full(meta.pieceCount) }),
    finalize: async () => path
  }
}

/** Downloads into `outDir`; an interrupted download found there is checked and resumed. */
export function downloadStorage (outDir: string, force: boolean): StorageProvider {
  let download: DownloadStorage | null = null
  return {
    open: async (meta: Metadata, onChecking?: (piece: number) => void) => {
      download = await createDownload(outDir, meta, { force })
      const have = download.resumed
        ? await verifyExisting(download, meta, (piece) => onChecking?.(piece))
        : new Bitfield(meta.pieceCount)
      return { storage: download, have }
    },
    finalize: async () => await download!.finalize()
  }
}
