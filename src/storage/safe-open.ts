// Opening files inside a download or share without ever following a symbolic link: the last
// component is opened with O_NOFOLLOW, and every folder between the root and it is checked
// with lstat first. A link planted inside a partial folder (say `dir -> /etc`) is refused
// with ERR_SYMLINK instead of being written through. The root itself is followed only when
// the user named it (a share); a partial's root is bitswarm's own and is checked too.

import { type BigIntStats, constants, type Stats } from 'node:fs'
import { type FileHandle, lstat, mkdir, open } from 'node:fs/promises'
import { join } from 'node:path'
import { notWritable, symlinkRefused } from '../errors.js'
import { errnoOf } from './fs-errors.js'

export interface Inside {
  /** The partial or the shared file or folder. */
  root: string
  /** Components below the root; empty when the root is the file itself. */
  parts: readonly string[]
  /** Whether the root may be a symbolic link (the user named it). */
  followRoot: boolean
  /** Folders already checked during this operation (many files share them). */
  checked?: Set<string>
}

/** The path `where` names. */
export function pathOf (where: Inside): string {
  return where.parts.length === 0 ? where.root : join(where.root, ...where.parts)
}

/** Opens the file at `where` with `flags` (O_NOFOLLOW added when its last component is
 *  inside bitswarm's folder). Errors are the OS's (ELOOP for a link) or ERR_SYMLINK. */
export async function openInside (where: Inside, flags: number, mode?: number): Promise<FileHandle> {
  await checkFolders(where)
  const noFollow = where.parts.length > 0 || !where.followRoot ? constants.O_NOFOLLOW : 0
  return await open(pathOf(where), flags | noFollow, mode)
}

/** What is at `where` (not following a final link); null when nothing is. */
export async function lstatInside (where: Inside): Promise<Stats | null> {
  try {
    await checkFolders(where)
    return await lstat(pathOf(where))
  } catch (err) {
    const code = errnoOf(err)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw err
  }
}

/** lstatInside with exact (bigint) sizes and times: modification times to the nanosecond. */
export async function lstatExactInside (where: Inside): Promise<BigIntStats | null> {
  try {
    await checkFolders(where)
    return await lstat(pathOf(where), { bigint: true })
  } catch (err) {
    const code = errnoOf(err)
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw err
  }
}

/** Creates the folders leading to `where`'s last component, one at a time (mkdir -p would
 *  follow a link it meets), refusing a link or a file where a folder belongs. */
export async function makeFoldersInside (where: Inside): Promise<void> {
  let folder = where.root
  await checkFolder(folder, where.followRoot, where.checked, true)
  for (const part of where.parts.slice(0, -1)) {
    folder = join(folder, part)
    await checkFolder(folder, false, where.checked, true)
  }
}

/** Every folder from the root down to the parent of the last component is a real folder. */
async function checkFolders (where: Inside): Promise<void> {
  if (where.parts.length === 0) {
    if (!where.followRoot) await refuseLink(where.root)
    return
  }
  let folder = where.root
  await checkFolder(folder, where.followRoot, where.checked, false)
  for (const part of where.parts.slice(0, -1)) {
    folder = join(folder, part)
    await checkFolder(folder, false, where.checked, false)
  }
}

async function checkFolder (folder: string, follow: boolean, checked: Set<string> | undefined, create: boolean): Promise<void> {
  if (checked?.has(folder) === true) return
  if (!follow) {
    let stats: Stats | null
    try {
      stats = await lstat(folder)
    } catch (err) {
      if (!create || errnoOf(err) !== 'ENOENT') throw err
      stats = null
    }
    if (stats === null) {
      await mkdir(folder).catch((err: unknown) => { if (errnoOf(err) !== 'EEXIST') throw err })
      stats = await lstat(folder)
    }
    if (stats.isSymbolicLink()) throw symlinkRefused(folder)
    if (!stats.isDirectory()) throw notWritable(folder, new Error('not a folder'))
  }
  checked?.add(folder)
}

/** Throws ERR_SYMLINK when `path` is a link; nothing there, or anything else, is fine. */
async function refuseLink (path: string): Promise<void> {
  const stats = await lstat(path).catch(() => null)
  if (stats?.isSymbolicLink() === true) throw symlinkRefused(path)
}
