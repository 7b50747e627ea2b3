// A lookup made before the other side's announce landed is not retried by hyperswarm for
// ~10 minutes. So a session looks again, backing off: while it has no peer, and while it
// still downloads with room for more peers (downloaders that joined together would otherwise
// each find only the seeder, never each other).

import type { PeerDiscovery } from 'hyperswarm'
import { DISCOVERY_REFRESH_MAX_MS, DISCOVERY_REFRESH_MS } from '../constants.js'
import type { Session } from '../session/session.js'

export interface LookupRefreshOptions {
  maxPeers: number
  /** The pending timers, so the node can clear them when it closes. */
  timers: Set<NodeJS.Timeout>
  /** A refresh left the session without a peer: the `attempt`-th time. */
  onAlone: (attempt: number) => Promise<void>
}

export function keepLookingForPeers (session: Pick<Session, 'status' | 'peers'>, discovery: PeerDiscovery, o: LookupRefreshOptions): void {
  let delay = DISCOVERY_REFRESH_MS
  let attempt = 0
  let hadPeers = false
  const schedule = (): void => {
    const timer = setTimeout(() => {
      o.timers.delete(timer)
      if (session.status === 'closing' || session.status === 'closed') return
      const alone = session.peers.size === 0
      if (alone && hadPeers) delay = DISCOVERY_REFRESH_MS // lost them all: look hard again
      hadPeers = !alone
      const downloading = session.status === 'fetching-metadata' || session.status === 'downloading'
      if (alone || (downloading && session.peers.size < o.maxPeers)) {
        const refreshed = discovery.refresh().catch(() => {})
        if (alone) void refreshed.then(async () => await o.onAlone(++attempt))
        delay = Math.min(delay * 2, DISCOVERY_REFRESH_MAX_MS)
      }
      schedule()
    }, delay)
    o.timers.add(timer)
  }
  schedule()
}
