// What a session needs from its node about the network, and the stand-in for a session that
// runs without one (tests over in-memory streams).

import type { ConnectionRoute } from './events.js'
import type { Peer } from './peer.js'

/** The node's side of a session: what it tells peers about itself, how it classifies their
 *  connections, and who dials the peers that peer exchange brings. */
export interface SessionNetwork {
  /** HANDSHAKE_FLAGS this node sends on every channel. */
  flags: () => number
  routeOf: (peer: Peer) => ConnectionRoute
  onPeersLearned: (keys: Buffer[]) => void
}

export const STANDALONE: SessionNetwork = { flags: () => 0, routeOf: () => 'direct', onPeersLearned: () => {} }
