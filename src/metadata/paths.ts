// Rules for the names and relative paths inside a share, and their canonical order.
// A remote peer chooses these strings and we later create files from them, so every
// component must be a plain, single, well-formed name that cannot climb out of the share.

import { MAX_NAME_BYTES } from '../constants.js'
import { invalidMetadata } from '../errors.js'

/** Throws invalidMetadata unless `text` is safe as one file or folder name. */
export function validateComponent (text: string, what: string): void {
  if (text.length === 0) throw invalidMetadata(`${what} is empty`)
  if (text === '.' || text === '..') throw invalidMetadata(`${what} is "${text}"`)
  if (text.includes('/')) throw invalidMetadata(`${what} contains "/"`)
  if (text.includes('\\')) throw invalidMetadata(`${what} contains "\\"`)
  if (text.includes('\0')) throw invalidMetadata(`${what} contains a NUL character`)
  const bytes = Buffer.from(text, 'utf8')
  // A lone surrogate would be written as U+FFFD: the bytes would no longer say what the
  // string says, so encoding would not be deterministic.
  if (bytes.toString('utf8') !== text) throw invalidMetadata(`${what} is not valid Unicode`)
  if (bytes.byteLength > MAX_NAME_BYTES) {
    throw invalidMetadata(`${what} is ${bytes.byteLength} bytes, more than ${MAX_NAME_BYTES}`)
  }
}

/** Orders two names by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units, which
 *  disagrees for characters outside the Basic Multilingual Plane). */
export function compareNames (a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** The canonical file order: component by component, a parent before its children. */
export function comparePaths (a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length)
  for (let i = 0; i < shared; i++) {
    const order = compareNames(a[i]!, b[i]!)
    if (order !== 0) return order
  }
  return a.length - b.length
}

/** True when `prefix` names a folder that contains `path` (or is the same path). */
export function isPathPrefix (prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false
  return prefix.every((component, i) => component === path[i])
}

/** The relative path as people and error messages write it. */
export function displayPath (path: readonly string[]): string {
  return path.join('/')
}
