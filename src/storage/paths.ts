// Where each file of a share sits on disk. Names come from a remote peer's metadata, so
// every component is checked here as well: whatever reaches storage, it never reads or
// writes outside the file or folder it was given.

import { join, sep } from 'node:path'
import { invalidMetadata } from '../errors.js'
import type { Info } from '../types.js'

/** A single-file share is one entry with an empty path: the root is the file itself. */
export function isSingleFile (info: Info): boolean {
  return info.files.length === 1 && info.files[0]!.path.length === 0
}

/** The path of file `file` of a share whose content is at `root`. */
export function filePath (root: string, info: Info, file: number): string {
  const entry = info.files[file]
  if (entry === undefined) throw new RangeError(`file ${file} out of range (${info.files.length} files)`)
  if (entry.path.length === 0) return root
  for (const part of entry.path) safeComponent(part, 'file path')
  return join(root, ...entry.path)
}

/** The components of file `file` below the root, each checked; empty for a single file. */
export function fileParts (info: Info, file: number): readonly string[] {
  const entry = info.files[file]
  if (entry === undefined) throw new RangeError(`file ${file} out of range (${info.files.length} files)`)
  for (const part of entry.path) safeComponent(part, 'file path')
  return entry.path
}

/** `part` unchanged if it names one entry inside a folder (not itself, not its parent). */
export function safeComponent (part: string, what: string): string {
  if (part === '' || part === '.' || part === '..' || part.includes('/') || part.includes(sep) || part.includes('\0')) {
    throw invalidMetadata(`unsafe ${what} component ${JSON.stringify(part)}`)
  }
  return part
}
