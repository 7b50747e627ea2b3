// Opens a download where the last run left it, trusting its resume record where the files
// still match and re-hashing only the rest:
//
//  - nothing there: a fresh partial, nothing to check;
//  - a partial: the record's pieces are held at once; the journal's, and those of files that
//    changed, are re-hashed (every piece when there is no usable record);
//  - the final name and a record saying "complete" for these very files, no partial: the
//    last run was killed between its rename and its clean-up; it is finished here;
//  - the final name holding some or all of this content (no record): its right pieces are
//    kept, and only the rest is fetched (adoptExisting).

import { rename } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Bitfield } from '../bitfield.js'
import { RESUME_JOURNAL_SUFFIX, RESUME_RECORD_SUFFIX, PARTIAL_SUFFIX } from '../constants.js'
import { fileExists } from '../errors.js'
import type { HashProgress } from '../piece-hashing.js'
import { removeFile } from './atomic-file.js'
import { createDownload, type DownloadStorage, FileStorage } from './file-storage.js'
import { fileStatesAt } from './file-states.js'
import { Layout } from './layout.js'
import { piecesAlreadyThere } from './existing-content.js'
import { writeFailure } from './fs-errors.js'
import { ensureWritableDir, entryAt } from './partial.js'
import { isSingleFile, safeComponent } from './paths.js'
import { verifyExisting } from './recheck.js'
import { FinishedDownload, ResumableDownload, type DownloadTarget } from './resumable-download.js'
import { readSavedResume, ResumeKeeper, type ResumePaths, type SavedResume } from './resume-keeper.js'
import { planResume } from './resume-plan.js'
import type { ResumeRecord } from './resume-record.js'
import type { FileState, StorageMetadata } from './storage.js'

export interface OpenDownloadOptions {
  /** Replace an existing entry at the final path (only once the new content is complete). */
  force?: boolean
  /** Progress of the re-hash, when there is one. */
  onChecking?: (progress: HashProgress) => void
  /** Files the selection leaves out: not files of the finished download. */
  skipped?: ReadonlySet<number>
}

/** What an interrupted download found: `have` pieces held, `trusted` of them on the
 *  record's word, `checked` pieces re-hashed (some of which were good). */
export interface ResumeSummary {
  have: number
  trusted: number
  checked: number
}

export interface OpenedDownload {
  storage: DownloadTarget
  have: Bitfield
  /** Null for a fresh download. */
  resumed: ResumeSummary | null
}

export async function openDownload (
  outDir: string,
  meta: StorageMetadata & { infoHash: Buffer },
  opts: OpenDownloadOptions = {}
): Promise<OpenedDownload> {
  const dir = resolve(outDir)
  const finalPath = join(dir, safeComponent(meta.name, 'name'))
  const partialPath = finalPath + PARTIAL_SUFFIX
  const paths: ResumePaths = { record: finalPath + RESUME_RECORD_SUFFIX, journal: finalPath + RESUME_JOURNAL_SUFFIX }
  await ensureWritableDir(dir)
  const layout = new Layout(meta.info)
  const saved = await readSavedResume(paths, layout.fileCount, layout.pieceCount)
  const partial = await entryAt(partialPath)

  if (partial === null && (await entryAt(finalPath)) !== null) {
    if (await finishedBefore(finalPath, meta, saved.record)) {
      return {
        storage: new FinishedDownload(new FileStorage(finalPath, meta, false, false), async () => {
          await removeFile(paths.journal)
          await removeFile(paths.record)
        }),
        have: Bitfield.full(meta.pieceCount),
        resumed: { have: meta.pieceCount, trusted: meta.pieceCount, checked: 0 }
      }
    }
    if (opts.force !== true) {
      const adopted = await adoptExisting(finalPath, partialPath, meta, layout, opts)
      if (adopted !== null) return await startResumable(dir, meta, paths, adopted, opts)
      throw fileExists(finalPath)
    }
  }

  // The files as the last run left them, before laying out the partial touches any.
  const rightKind = partial !== null && (isSingleFile(meta.info) ? partial.isFile() : partial.isDirectory())
  const before = rightKind ? await fileStatesAt(partialPath, meta.info, false) : null
  return await startResumable(dir, meta, paths, async (download) => download.resumed && before !== null
    ? await resume(download, meta, layout, saved, before, opts.onChecking)
    : { have: new Bitfield(meta.pieceCount), rehashed: [], resumed: null }, opts)
}

type Found = { have: Bitfield, rehashed: number[], resumed: ResumeSummary | null }

/** Lays out the partial, finds what it holds (`find`), and starts keeping its resume record. */
async function startResumable (
  dir: string,
  meta: StorageMetadata & { infoHash: Buffer },
  paths: ResumePaths,
  find: (download: DownloadStorage) => Promise<Found>,
  opts: OpenDownloadOptions
): Promise<OpenedDownload> {
  const download = await createDownload(dir, meta, { force: opts.force === true, ...(opts.skipped !== undefined ? { skipped: opts.skipped } : {}) })
  try {
    const { have, rehashed, resumed } = await find(download)
    const keeper = new ResumeKeeper(download, meta.infoHash, paths, have)
    await keeper.start(rehashed)
    return { storage: new ResumableDownload(download, keeper), have, resumed }
  } catch (err) {
    await download.close().catch(() => {})
    throw err
  }
}

/** The final name holds (some of) this very content: its right pieces are verified where
 *  they are, then the entry becomes the partial, so only what is missing or wrong is fetched
 *  and written, and the rename at the end puts it back (files in the folder that are not
 *  the share's stay with it). Null when not one piece is right: then it is something else
 *  of the same name, left alone. Not with a file selection, whose finish sets aside the
 *  files it skipped. */
async function adoptExisting (
  finalPath: string,
  partialPath: string,
  meta: StorageMetadata & { infoHash: Buffer },
  layout: Layout,
  opts: OpenDownloadOptions
): Promise<((download: DownloadStorage) => Promise<Found>) | null> {
  if (opts.skipped !== undefined && opts.skipped.size > 0) return null
  const entry = await entryAt(finalPath)
  if (entry === null || (isSingleFile(meta.info) ? !entry.isFile() : !entry.isDirectory())) return null
  const have = await piecesAlreadyThere(finalPath, meta, layout, opts.onChecking)
  if (have.size === 0) return null
  try {
    await rename(finalPath, partialPath)
  } catch (err) {
    throw writeFailure(partialPath, err)
  }
  return async () => ({ have, rehashed: [...have.indices()], resumed: { have: have.size, trusted: 0, checked: layout.pieceCount } })
}

async function resume (
  download: DownloadStorage,
  meta: StorageMetadata & { infoHash: Buffer },
  layout: Layout,
  saved: SavedResume,
  files: readonly FileState[],
  onChecking: OpenDownloadOptions['onChecking']
): Promise<{ have: Bitfield, rehashed: number[], resumed: ResumeSummary }> {
  const plan = planResume({ layout, infoHash: meta.infoHash, record: saved.record, journal: saved.journal, files })
  const have = plan.trusted
  const trusted = have.size
  const rehashed: number[] = []
  if (plan.check.length > 0) {
    await verifyExisting(download, meta, (piece, ok) => {
      if (ok && have.set(piece)) rehashed.push(piece)
    }, { pieces: plan.check, ...(onChecking !== undefined ? { onProgress: onChecking } : {}) })
  }
  return { have, rehashed, resumed: { have: have.size, trusted, checked: plan.check.length } }
}

/** Whether the content at the final path is this download, completed by a run that was
 *  stopped before it removed its resume record: the record says every piece is held, and
 *  the files are exactly those it describes. */
async function finishedBefore (finalPath: string, meta: StorageMetadata & { infoHash: Buffer }, record: ResumeRecord | null): Promise<boolean> {
  if (record === null || !record.infoHash.equals(meta.infoHash) || record.pieceCount !== meta.pieceCount) return false
  if (!Bitfield.fromBytes(record.pieceCount, record.have).complete || record.files.length !== meta.info.files.length) return false
  const kind = await entryAt(finalPath)
  if (kind === null || (isSingleFile(meta.info) ? !kind.isFile() : !kind.isDirectory())) return false
  const files = await fileStatesAt(finalPath, meta.info, false).catch(() => null)
  return files !== null && files.every((state, i) =>
    state !== null && state.size === meta.info.files[i]!.length && state.size === record.files[i]!.size && state.mtimeNs === record.files[i]!.mtimeNs)
}
