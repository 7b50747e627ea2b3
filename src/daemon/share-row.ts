// What `bitswarm ls` (and every request that changes a share) shows of a share: its
// registry entry, with the live figures of its session when it runs.

import { resolve } from 'node:path'
import type { Session } from '../session/session.js'
import type { ShareEntry } from './registry.js'

/** One row of `bitswarm ls`. */
export interface ShareRow {
  id: string
  name: string | null
  kind: ShareEntry['kind']
  path: string
  size: number
  have: number
  pieces: number
  downloadRate: number
  uploadRate: number
  peers: number
  state: string
  /** Bytes this daemon hashed for the share since it started (0: it came from the cache). */
  hashedBytes: number
}

/** `session`: the share's, null when it does not run; `hashed`: bytes hashed since start,
 *  by absolute shared path. */
export function shareRow (entry: ShareEntry, session: Pick<Session, 'meta' | 'status' | 'stats'> | null, hashed: ReadonlyMap<string, number>): ShareRow {
  const stats = session?.stats() ?? null
  return {
    id: entry.id,
    name: session?.meta?.name ?? entry.name ?? null,
    kind: entry.kind,
    path: entry.path,
    size: stats?.totalBytes ?? entry.size ?? 0,
    have: stats?.have ?? (entry.finished === true ? 1 : 0),
    pieces: stats?.pieceCount ?? (entry.finished === true ? 1 : 0),
    downloadRate: Math.round(stats?.downloadRate ?? 0),
    uploadRate: Math.round(stats?.uploadRate ?? 0),
    peers: stats?.peers ?? 0,
    state: entry.finished === true ? 'finished' : entry.paused ? 'paused' : session?.status ?? 'stopped',
    hashedBytes: entry.kind === 'seed' ? hashed.get(resolve(entry.path)) ?? 0 : 0
  }
}
