// The names a download is written under on this machine. A share made on Linux may hold
// "CON.txt", "a:b" or both "Readme" and "README": written as they are, Windows refuses the
// first two and a case-insensitive file system (Windows, macOS by default, a FAT or exFAT
// stick mounted on Linux) makes the last two one file. portable-names.ts says what each
// becomes; this applies it to a download's metadata, so that every path storage computes
// (the partial, reads, writes, the final name) uses the names that can exist here, while the
// pieces, hashes and info hash stay the share's.

import { randomBytes } from 'node:crypto'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Info } from '../types.js'
import { type NamingRules, portablePaths, type Renamed } from './portable-names.js'
import type { StorageMetadata } from './storage.js'

/** This machine's rules for `dir`: Windows' on Windows; case-insensitive when the folder's
 *  file system says so (asked by creating a probe file and looking it up in upper case). */
export async function namingRulesFor (dir: string, override: Partial<NamingRules> = {}): Promise<NamingRules> {
  return {
    windows: override.windows ?? process.platform === 'win32',
    caseInsensitive: override.caseInsensitive ?? await caseInsensitive(dir)
  }
}

async function caseInsensitive (dir: string): Promise<boolean> {
  const name = `.bitswarm-case-${randomBytes(6).toString('hex')}`
  const probe = join(dir, name)
  try {
    await mkdir(dir, { recursive: true }) // the download makes it anyway
    await writeFile(probe, '', { flag: 'wx' })
    return await stat(join(dir, name.toUpperCase())).then(() => true, () => false)
  } catch {
    return false // cannot tell: write the names as they are
  } finally {
    await rm(probe, { force: true })
  }
}

/** `meta` as seen by storage under `rules`: the same object but for its name and its files'
 *  and folders' paths; null renames when nothing changes. */
export function onDiskMetadata<M extends StorageMetadata> (meta: M, rules: NamingRules): { meta: M, renamed: Renamed[] } {
  if (!rules.windows && !rules.caseInsensitive) return { meta, renamed: [] }
  const info = meta.info
  const root = portablePaths([[info.name]], { windows: rules.windows, caseInsensitive: false })
  const name = root.paths[0]![0]!
  const folders = info.folders ?? []
  const all = portablePaths([...info.files.map((f) => f.path), ...folders], rules)
  const files = info.files.map((file, i) => ({ ...file, path: all.paths[i]! }))
  const renamed = [...root.renamed, ...all.renamed.filter((r) => r.from.length > 0)]
  if (renamed.length === 0) return { meta, renamed }
  const diskInfo: Info = { ...info, name, files, ...(folders.length > 0 ? { folders: all.paths.slice(info.files.length) } : {}) }
  // The metadata's own methods (piece lengths, hashes) read what did not change.
  return { meta: Object.create(meta, { info: { value: diskInfo }, name: { value: name } }) as M, renamed }
}

/** Renames shown by name in the warning; the rest are counted. */
const RENAMES_SHOWN = 3

/** The warning a download gives when it renamed: the share's paths and what was written. */
export function describeRenames (renamed: readonly Renamed[]): string {
  const shown = renamed.slice(0, RENAMES_SHOWN).map((r) => `${r.from.join('/')} → ${r.to.join('/')}`).join(', ')
  const more = renamed.length > RENAMES_SHOWN ? `, and ${renamed.length - RENAMES_SHOWN} more` : ''
  const one = renamed.length === 1
  return `${renamed.length} ${one ? 'name' : 'names'} of the share cannot exist on this file system and ${one ? 'is' : 'are'} written as: ${shown}${more}`
}
