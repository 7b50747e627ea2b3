// The download on disk before it is complete: the content is laid out under
// outDir/name + PARTIAL_SUFFIX (a file, or a folder holding the tree) at its exact sizes,
// and takes its final name only once every piece is written and verified.

import { constants, type Stats } from 'node:fs'
import { access, lstat, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { FILE_IO_CONCURRENCY } from '../constants.js'
import { fileExists, notWritable, symlinkRefused } from '../errors.js'
import type { Info } from '../types.js'
import { forEachLimited } from './concurrent.js'
import { errnoOf, writeFailure } from './fs-errors.js'
import { fileParts, isSingleFile } from './paths.js'
import { type Inside, lstatInside, makeFoldersInside, openInside, pathOf } from './safe-open.js'

/** Creates `dir` if missing (like curl --create-dirs) and checks we may create files in it. */
export async function ensureWritableDir (dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder')
    await access(dir, constants.W_OK | constants.X_OK)
  } catch (err) {
    throw notWritable(dir, err)
  }
}

/** What is at `path`, without following a symlink; null when nothing is. */
export async function entryAt (path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null
    throw notWritable(path, err)
  }
}

/** Lays out the partial at `partialPath`, keeping what an interrupted run left there.
 *  Returns whether a partial already existed (its pieces are then worth rechecking). Every
 *  path inside it is opened without following links: one planted there is refused. */
export async function preparePartial (partialPath: string, info: Info, force: boolean): Promise<boolean> {
  const single = isSingleFile(info)
  const existing = await entryAt(partialPath)
  let resumed = existing !== null
  if (existing !== null && (single ? !existing.isFile() : !existing.isDirectory())) {
    // Not something a previous run of this download left: only replace it when told to.
    if (!force) throw existing.isSymbolicLink() ? symlinkRefused(partialPath) : fileExists(partialPath)
    await removeEntry(partialPath)
    resumed = false
  }
  // Folders checked (or made) once, however many files they hold.
  const checked = new Set<string>()
  await forEachLimited(info.files.length, FILE_IO_CONCURRENCY, async (file) => {
    const where: Inside = { root: partialPath, parts: fileParts(info, file), followRoot: false, checked }
    const length = info.files[file]!.length
    // Resuming, most files are already right: one lstat instead of open, truncate, close.
    if (resumed && await hasSize(where, length)) return
    if (!single) await makeFolders(where)
    await sizeFile(where, length)
  })
  return resumed
}

/** Gives the complete partial its final name. An existing final entry is replaced only with
 *  `force`, and only now that the new content is complete: a file by an atomic rename over
 *  it, a folder (which rename cannot replace) by removing it just before. */
export async function moveIntoPlace (partialPath: string, finalPath: string, singleFile: boolean, force: boolean): Promise<void> {
  const existing = await entryAt(finalPath)
  if (existing !== null) {
    if (!force) throw fileExists(finalPath)
    const renameReplacesIt = singleFile && !existing.isDirectory()
    if (!renameReplacesIt) await removeEntry(finalPath)
  }
  try {
    await rename(partialPath, finalPath)
  } catch (err) {
    throw writeFailure(finalPath, err)
  }
}

/** Creates the file if missing and gives it its exact length. ftruncate extends sparsely:
 *  no zeros are written, and a resumed file keeps its bytes. */
async function sizeFile (where: Inside, length: number): Promise<void> {
  try {
    const handle = await openInside(where, constants.O_RDWR | constants.O_CREAT, 0o666)
    try {
      await handle.truncate(length)
    } finally {
      await handle.close()
    }
  } catch (err) {
    throw writeFailure(pathOf(where), err)
  }
}

async function hasSize (where: Inside, length: number): Promise<boolean> {
  let stats: Stats | null
  try {
    stats = await lstatInside(where)
  } catch (err) {
    throw writeFailure(pathOf(where), err) // a link on the way: refused, not recreated
  }
  return stats !== null && stats.isFile() && stats.size === length
}

async function makeFolders (where: Inside): Promise<void> {
  try {
    await makeFoldersInside(where)
  } catch (err) {
    throw writeFailure(pathOf(where), err)
  }
}

async function removeEntry (path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true })
  } catch (err) {
    throw writeFailure(path, err)
  }
}

/** A selective download is complete: the files it skipped leave the partial for the parts
 *  folder beside it (`partsPath`, same tree), where the bytes they share with a selected
 *  file's pieces stay readable to serve those pieces (libtorrent's part file); folders that
 *  only held skipped files go too, unless the share lists them as empty folders. */
export async function setAsideSkipped (partialPath: string, partsPath: string, info: Info, skipped: ReadonlySet<number>): Promise<void> {
  const checked = new Set<string>()
  const parents = new Set<string>()
  for (const file of skipped) {
    const parts = fileParts(info, file)
    const to: Inside = { root: partsPath, parts, followRoot: false, checked }
    await makeFolders(to)
    try {
      await rename(pathOf({ root: partialPath, parts, followRoot: false }), pathOf(to))
    } catch (err) {
      throw writeFailure(pathOf(to), err)
    }
    for (let depth = parts.length - 1; depth > 0; depth--) parents.add(parts.slice(0, depth).join('/'))
  }
  const kept = new Set((info.folders ?? []).map((folder) => folder.join('/')))
  // Deepest first, so a folder is tried once what it held is gone.
  for (const folder of [...parents].sort((a, b) => b.split('/').length - a.split('/').length)) {
    if (kept.has(folder)) continue
    try {
      await rmdir(join(partialPath, ...folder.split('/')))
    } catch (err) {
      if (errnoOf(err) !== 'ENOTEMPTY' && errnoOf(err) !== 'EEXIST') throw writeFailure(join(partialPath, folder), err)
    }
  }
}
