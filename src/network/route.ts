// How a connection reaches its peer, for the view and the `peers` rows: relayed (through a
// third node), direct (no NAT to cross: one side is reachable, or both sit on one subnet),
// or hole-punched through NATs.

import type { SecretStream } from 'hyperswarm'
import type { ConnectionRoute } from '../session/events.js'
import { onLocalSubnet } from './reachability.js'

export interface RouteFacts {
  /** This node is reachable from outside. */
  localOpen: boolean
  /** The remote said it is reachable (its handshake flags). */
  remoteOpen: boolean
}

/** A relayed stream's packets come from the relay's address, the same as our own connection
 *  to the relay: two different keys at one address can only be a relay at work. */
export function connectionRoute (conn: SecretStream, others: Iterable<SecretStream>, facts: RouteFacts): ConnectionRoute {
  const raw = conn.rawStream
  if (raw !== null && raw !== undefined && raw.remoteHost !== null) {
    for (const other of others) {
      const o = other.rawStream
      if (other === conn || o === null || o === undefined || other.remotePublicKey.equals(conn.remotePublicKey)) continue
      if (o.remoteHost === raw.remoteHost && o.remotePort === raw.remotePort) return 'relayed'
    }
  }
  if (facts.localOpen || facts.remoteOpen || onLocalSubnet(raw?.remoteHost)) return 'direct'
  return 'holepunched'
}
