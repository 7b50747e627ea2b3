// A session's events as someone arriving late needs them: what the earlier events said,
// rebuilt from its state now (metadata, pieces held, status, peers, stats), in the shape of
// the live events that follow. The CLI's view catches up from it, and the daemon's event
// stream starts with it.

import type { SessionEvents } from './events.js'
import type { Session } from './session.js'

export type SessionEvent = { [K in keyof SessionEvents]: { type: K, data: SessionEvents[K] } }[keyof SessionEvents]

/** The events a view of `session` needs, in order, to be where the session is now. */
export function replayEvents (session: Session): SessionEvent[] {
  const events: SessionEvent[] = []
  const meta = session.meta
  if (meta !== null) {
    events.push({ type: 'metadata', data: { infoHash: session.infoHash.toString('hex'), name: meta.name, totalBytes: meta.totalBytes, pieceCount: meta.pieceCount, pieceSize: meta.pieceSize } })
    // A seeder holds every piece: the stats below say so without a list of them.
    const have = session.transfer?.downloader.have
    if (have !== undefined && !have.complete) {
      for (const piece of have.indices()) events.push({ type: 'piece-verified', data: { piece, from: null } })
    }
  }
  events.push({ type: 'status', data: { status: session.status, previous: session.status } })
  if (session.resumed != null) events.push({ type: 'resumed', data: session.resumed })
  for (const id of session.peers.keys()) events.push({ type: 'peer-add', data: { id } })
  events.push({ type: 'stats', data: session.stats() })
  if (session.done != null) events.push({ type: 'done', data: session.done })
  return events
}

/** The live events a view follows. */
export const VIEW_EVENTS = ['metadata', 'status', 'checking', 'resumed', 'peer-add', 'peer-remove', 'piece-verified', 'piece-failed', 'stats', 'peer-stats', 'reader', 'done', 'warning', 'error'] as const
