// The two places a session's pieces live: the original files of a share, or a download in
// progress that is renamed into place once complete.

import { Bitfield } from '../bitfield.js'
import { PROGRESS_INTERVAL_MS } from '../constants.js'
import type { Metadata } from '../metadata/metadata.js'
import { throttleProgress } from '../piece-hashing.js'
import { openShare } from '../storage/file-storage.js'
import { openDownload } from '../storage/open-download.js'
import type { DownloadTarget } from '../storage/resumable-download.js'
import { applyShareAttributes } from '../storage/share-attributes.js'
import { namingRulesFor, onDiskMetadata } from '../storage/on-disk-names.js'
import type { NamingRules } from '../storage/portable-names.js'
import type { Info } from '../types.js'
import type { StorageProvider } from './session.js'

/** Seeds the file or folder at `path`, whose pieces were just hashed. */
export function shareStorage (path: string): StorageProvider {
  return {
    open: async (meta: Metadata) => ({ storage: await openShare(path, meta), have: Bitfield.full(meta.pieceCount) }),
    finalize: async () => path
  }
}

/** Downloads into `outDir`; an interrupted download found there is resumed from its resume
 *  record, re-hashing only what the record cannot vouch for. `onComplete` runs once the
 *  whole share (no file skipped) is in its final place, before the session says `done`. */
export function downloadStorage (outDir: string, force: boolean, onComplete?: (path: string, meta: Metadata) => Promise<void>, naming: Partial<NamingRules> = {}): StorageProvider {
  let download: DownloadTarget | null = null
  let info: Info | null = null
  let whole: Metadata | null = null
  return {
    open: async (meta, onChecking, skipped) => {
      // Names this file system cannot hold are written under ones it can (on-disk-names.ts).
      const disk = onDiskMetadata(meta, await namingRulesFor(outDir, naming))
      info = disk.meta.info
      whole = (skipped === undefined || skipped.size === 0) && disk.renamed.length === 0 ? meta : null
      const opened = await openDownload(outDir, disk.meta, {
        force,
        ...(skipped !== undefined ? { skipped } : {}),
        ...(onChecking !== undefined ? { onChecking: throttleProgress(onChecking, PROGRESS_INTERVAL_MS) } : {})
      })
      download = opened.storage
      return { ...opened, renamed: disk.renamed }
    },
    finalize: async () => {
      const finalPath = await download!.finalize()
      await applyShareAttributes(finalPath, info!)
      if (whole !== null) await onComplete?.(finalPath, whole)
      return finalPath
    }
  }
}
