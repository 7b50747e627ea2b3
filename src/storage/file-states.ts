// The size and modification time of each file of a download or share: what a resume record
// keeps, and what says a file is still the one it describes. Never follows a link inside.

import { FILE_IO_CONCURRENCY } from '../constants.js'
import type { Info } from '../types.js'
import { forEachLimited } from './concurrent.js'
import { readFailure } from './fs-errors.js'
import { fileParts } from './paths.js'
import { type Inside, lstatExactInside, pathOf } from './safe-open.js'
import type { FileState } from './storage.js'

/** The size and modification time of each file of `files` (every file when absent) of the
 *  content at `root`, never following a link inside it. */
export async function fileStatesAt (root: string, info: Info, followRoot: boolean, files?: readonly number[]): Promise<FileState[]> {
  const list = files ?? info.files.map((_, i) => i)
  const states: FileState[] = new Array(list.length)
  const checked = new Set<string>()
  await forEachLimited(list.length, FILE_IO_CONCURRENCY, async (i) => {
    states[i] = await fileStateAt({ root, parts: fileParts(info, list[i]!), followRoot, checked })
  })
  return states
}

/** Size and modification time of a regular file, without following links; null when it is
 *  missing or not a regular file. */
async function fileStateAt (where: Inside): Promise<FileState> {
  try {
    const stats = await lstatExactInside(where)
    return stats?.isFile() === true ? { size: Number(stats.size), mtimeNs: stats.mtimeNs } : null
  } catch (err) {
    throw readFailure(pathOf(where), err)
  }
}
