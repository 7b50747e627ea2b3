// What the daemon seeds and downloads, kept in shares.json so that a restart (or a crash)
// brings every share back. Written whole and atomically after each change: a crash leaves the
// old list or the new one, never half of one.

import { readFile } from 'node:fs/promises'
import { ambiguousId, stateCorrupt, unknownShare } from '../errors.js'
import { replaceFile } from '../storage/atomic-file.js'
import type { SeedLimits } from './seed-limits.js'

export interface ShareEntry {
  /** The info hash, hex. */
  id: string
  link: string
  /** What the daemon does with it: `seed` the files at `path`, or `download` into `path` (a
   *  folder). A download that completes becomes a seed of the content where it landed. */
  kind: 'seed' | 'download'
  path: string
  paused: boolean
  /** When it was added, ms since the epoch. */
  addedAt: number
  /** The content's name and size, once known (listed while it is not running). */
  name?: string
  size?: number
  /** The daemon fetched these files (so `rm --delete-data` may delete them). */
  downloaded?: boolean
  /** Its own seeding limits (over the daemon's). */
  limits?: SeedLimits
  /** Bytes uploaded and seconds seeded in earlier runs, for the limits. */
  uploaded?: number
  seededSeconds?: number
  /** A seeding limit was reached: listed, no longer seeded. */
  finished?: boolean
}

const VERSION = 1

export async function loadRegistry (path: string): Promise<ShareEntry[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw stateCorrupt(path, String((err as Error).message))
  }
  try {
    const parsed = JSON.parse(text) as { version?: unknown, shares?: unknown }
    if (parsed.version !== VERSION || !Array.isArray(parsed.shares)) throw new Error(`not a version ${VERSION} share list`)
    return parsed.shares.map(checkEntry)
  } catch (err) {
    throw stateCorrupt(path, (err as Error).message)
  }
}

export async function saveRegistry (path: string, shares: readonly ShareEntry[]): Promise<void> {
  await replaceFile(path, Buffer.from(JSON.stringify({ version: VERSION, shares }, null, 2) + '\n'), true)
}

/** The one share whose id starts with `prefix` (at least 4 hex digits). */
export function findShare (shares: readonly ShareEntry[], prefix: string): ShareEntry {
  const key = prefix.toLowerCase()
  const matches = /^[0-9a-f]{4,64}$/.test(key) ? shares.filter((s) => s.id.startsWith(key)) : []
  if (matches.length === 0) throw unknownShare(prefix)
  if (matches.length > 1) throw ambiguousId(prefix, matches.length)
  return matches[0]!
}

function checkEntry (value: unknown): ShareEntry {
  const e = value as Partial<ShareEntry> | null
  if (e === null || typeof e !== 'object' || typeof e.id !== 'string' || !/^[0-9a-f]{64}$/.test(e.id) || typeof e.link !== 'string' ||
    (e.kind !== 'seed' && e.kind !== 'download') || typeof e.path !== 'string' || typeof e.paused !== 'boolean' || typeof e.addedAt !== 'number') {
    throw new Error(`a malformed entry: ${JSON.stringify(value)?.slice(0, 200)}`)
  }
  const number = (x: unknown): boolean => x === undefined || (typeof x === 'number' && Number.isFinite(x) && x >= 0)
  const limits = e.limits as SeedLimits | undefined
  if (!number(e.uploaded) || !number(e.seededSeconds) || !number(e.size) || (e.name !== undefined && typeof e.name !== 'string') || (limits !== undefined && (typeof limits !== 'object' || !number(limits.ratio) || !number(limits.seconds)))) {
    throw new Error(`a malformed entry: ${JSON.stringify(value)?.slice(0, 200)}`)
  }
  return {
    id: e.id,
    link: e.link,
    kind: e.kind,
    path: e.path,
    paused: e.paused,
    addedAt: e.addedAt,
    ...(e.name !== undefined ? { name: e.name } : {}),
    ...(e.size !== undefined ? { size: e.size } : {}),
    ...(e.downloaded === true ? { downloaded: true } : {}),
    ...(limits !== undefined ? { limits: { ...(limits.ratio !== undefined ? { ratio: limits.ratio } : {}), ...(limits.seconds !== undefined ? { seconds: limits.seconds } : {}) } } : {}),
    ...(e.uploaded !== undefined ? { uploaded: e.uploaded } : {}),
    ...(e.seededSeconds !== undefined ? { seededSeconds: e.seededSeconds } : {}),
    ...(e.finished === true ? { finished: true } : {})
  }
}
