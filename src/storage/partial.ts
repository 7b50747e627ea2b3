// The download on disk before it is complete: the content is laid out under
// outDir/name + PARTIAL_SUFFIX (a file, or a folder holding the tree) at its exact sizes,
// and takes its final name only once every piece is written and verified.

import { constants, type Stats } from 'node:fs'
import { access, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { FILE_IO_CONCURRENCY } from '../constants.js'
import { fileExists, notWritable } from '../errors.js'
import type { Info } from '../types.js'
import { forEachLimited } from './concurrent.js'
import { errnoOf, writeFailure } from './fs-errors.js'
import { filePath, isSingleFile } from './paths.js'

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
 *  Returns whether a partial already existed (its pieces are then worth rechecking). */
export async function preparePartial (partialPath: string, info: Info, force: boolean): Promise<boolean> {
  const single = isSingleFile(info)
  const existing = await entryAt(partialPath)
  let resumed = existing !== null
  if (existing !== null && (single ? !existing.isFile() : !existing.isDirectory())) {
    // Not something a previous run of this download left: only replace it when told to.
    if (!force) throw fileExists(partialPath)
    await removeEntry(partialPath)
    resumed = false
  }
  if (!single) await makeFolder(partialPath)
  // Each folder is made once, by the first of its files to need it; the others wait for it.
  const folders = new Map<string, Promise<void>>([[partialPath, Promise.resolve()]])
  const folderOf = (path: string): Promise<void> => {
    const folder = dirname(path)
    let made = folders.get(folder)
    if (made === undefined) {
      made = makeFolder(folder)
      folders.set(folder, made)
    }
    return made
  }
  await forEachLimited(info.files.length, FILE_IO_CONCURRENCY, async (file) => {
    const path = filePath(partialPath, info, file)
    const length = info.files[file]!.length
    // Resuming, most files are already right: one stat instead of open, truncate, close.
    if (resumed && await hasSize(path, length)) return
    if (!single) await folderOf(path)
    await sizeFile(path, length)
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
async function sizeFile (path: string, length: number): Promise<void> {
  try {
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT)
    try {
      await handle.truncate(length)
    } finally {
      await handle.close()
    }
  } catch (err) {
    throw writeFailure(path, err)
  }
}

async function hasSize (path: string, length: number): Promise<boolean> {
  try {
    const stats = await stat(path)
    return stats.isFile() && stats.size === length
  } catch {
    return false // missing or unreadable: sizeFile creates it or reports why not
  }
}

async function makeFolder (path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true })
  } catch (err) {
    throw writeFailure(path, err)
  }
}

async function removeEntry (path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true })
  } catch (err) {
    throw writeFailure(path, err)
  }
}
