// What a share says beyond its bytes, applied to a completed download: its empty folders are
// created and its executable files made executable (for whoever may read them, as chmod +x
// under the usual umask does). Idempotent, so a run killed half-way finishes it next time;
// never through a symbolic link.

import { constants } from 'node:fs'
import type { Info } from '../types.js'
import { errnoOf, writeFailure } from './fs-errors.js'
import { makeFoldersInside, openInside, pathOf, type Inside } from './safe-open.js'

export async function applyShareAttributes (root: string, info: Info): Promise<void> {
  const checked = new Set<string>()
  for (const folder of info.folders ?? []) {
    // The folders leading to a component below it are made, the folder itself included.
    const where: Inside = { root, parts: [...folder, '.'], followRoot: false, checked }
    await makeFoldersInside(where).catch((err: unknown) => { throw writeFailure(pathOf({ ...where, parts: folder }), err) })
  }
  for (const file of info.files) {
    if (file.executable !== true) continue
    const where: Inside = { root, parts: file.path, followRoot: false, checked }
    let handle
    try {
      handle = await openInside(where, constants.O_RDONLY)
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') continue // not part of this download (a file left out)
      throw writeFailure(pathOf(where), err)
    }
    try {
      const { mode } = await handle.stat()
      // Execute where there is read: rw-r--r-- becomes rwxr-xr-x.
      await handle.chmod((mode & 0o7777) | ((mode & 0o444) >> 2))
    } catch (err) {
      throw writeFailure(pathOf(where), err)
    } finally {
      await handle.close()
    }
  }
}
