// Which file of a share a stream shows and opens, and every file's URL: the same for
// `bitswarm stream` and the daemon's `bitswarm play`. Pure.

import { noSuchFile } from '../errors.js'
import type { StreamFile } from './byte-source.js'
import { contentTypeOf } from './content-type.js'
import { encodePath } from './http-server.js'

/** The file shown and opened: `wanted` (its path in the share; ERR_NO_SUCH_FILE when it has
 *  none of that path), else the largest video or audio file, else the largest. */
export function streamedFile (files: readonly StreamFile[], wanted: string | undefined): number {
  if (wanted !== undefined) {
    const index = files.findIndex((f) => f.path === wanted)
    if (index < 0) throw noSuchFile(wanted, files.map((f) => f.path))
    return index
  }
  const media = (f: StreamFile): boolean => /^(video|audio)\//.test(contentTypeOf(f.path))
  let best = 0
  for (let i = 1; i < files.length; i++) {
    const [a, b] = [files[i]!, files[best]!]
    if (media(a) !== media(b) ? media(a) : a.size > b.size) best = i
  }
  return best
}

export interface FileUrl extends StreamFile { url: string }

/** Each file with its URL under `base` (the server's, or a share's prefix on it). */
export function fileUrls (base: string, files: readonly StreamFile[]): FileUrl[] {
  return files.map((f) => ({ path: f.path, size: f.size, url: base + encodePath(f.path) }))
}
