// Small files replaced whole, so a crash leaves either the old one or the new one, never a
// mix: written under a temporary name, flushed, renamed over the old, the folder flushed.
// Opened without following links: these files sit beside a download, in the user's folder.

import { constants } from 'node:fs'
import { type FileHandle, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type CrashPoint, crashNow, reachedCrashPoint } from './crash-point.js'
import { errnoOf, readFailure, writeFailure } from './fs-errors.js'

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW

/** Replaces `path` with `bytes`; `durable` adds the fsyncs that make it survive a power cut.
 *  `crashPoint` (tests only) names the moment between the synced temporary file and the
 *  rename. A failure leaves the old file as it was. */
export async function replaceFile (path: string, bytes: Uint8Array, durable: boolean, crashPoint?: CrashPoint): Promise<void> {
  const temporary = path + '.tmp'
  try {
    const handle = await open(temporary, WRITE_FLAGS, 0o666)
    try {
      await handle.writeFile(bytes)
      if (durable) await handle.sync()
    } finally {
      await handle.close()
    }
    if (crashPoint !== undefined && reachedCrashPoint(crashPoint)) crashNow(crashPoint, { path })
    await rename(temporary, path)
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => {})
    throw writeFailure(path, err)
  }
  if (durable) await syncFolder(dirname(path))
}

/** Flushes a folder's entries (a rename or a new file in it) to the disk. */
export async function syncFolder (folder: string): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY)
  } catch (err) {
    throw writeFailure(folder, err)
  }
  try {
    await handle.sync()
  } catch (err) {
    throw writeFailure(folder, err)
  } finally {
    await handle.close()
  }
}

/** The bytes of a small file, or null when it is missing or larger than `maxBytes`. */
export async function readSmallFile (path: string, maxBytes: number): Promise<Buffer | null> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return null
    throw readFailure(path, err)
  }
  try {
    const { size } = await handle.stat()
    if (size > maxBytes) return null
    return await handle.readFile()
  } catch (err) {
    throw readFailure(path, err)
  } finally {
    await handle.close()
  }
}

/** Removes `path` if it is there. */
export async function removeFile (path: string): Promise<void> {
  try {
    await rm(path, { force: true })
  } catch (err) {
    throw writeFailure(path, err)
  }
}
