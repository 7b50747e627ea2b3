// How a connection reaches its peer, for the view and the `peers` rows: relayed (through a
// third node), direct (no NAT to cross: one side is reachable, or both sit on one subnet),
// or hole-punched through NATs.

import type { SecretStream, UdxStream } from 'hyperswarm'
import type { ConnectionRoute } from '../session/events.js'
import { HANDSHAKE_FLAGS } from '../wire/handshake.js'
import { onLocalSubnet } from './reachability.js'

export interface RouteFacts {
  /** This node is reachable from outside. */
  localOpen: boolean
  /** The remote said it is reachable (its handshake flags). */
  remoteOpen: boolean
  /** The remote is itself a relay: a connection to it shares its address with the relay
   *  streams it carries for us, and is still direct. */
  remoteRelays: boolean
}

/** A relayed stream rides the UDX socket of our connection to the relay and its packets come
 *  from the relay's address: another stream on the same socket to the same address means a
 *  relay at work (hyperdht marks relayed streams no other way). */
export function connectionRoute (conn: SecretStream, facts: RouteFacts): ConnectionRoute {
  const raw = conn.rawStream
  if (raw !== null && raw !== undefined && !facts.remoteRelays && sharesAddress(raw)) return 'relayed'
  if (facts.localOpen || facts.remoteOpen || onLocalSubnet(raw?.remoteHost)) return 'direct'
  return 'holepunched'
}

function sharesAddress (raw: UdxStream): boolean {
  if (raw.remoteHost === null || raw.socket === null || raw.socket === undefined) return false
  for (const other of raw.socket.streams) {
    if (other !== raw && other.remoteHost === raw.remoteHost && other.remotePort === raw.remotePort) return true
  }
  return false
}

/** The facts about a connection that come from the handshake: the remote's `flags`. */
export function routeFacts (localOpen: boolean, remoteFlags: number): RouteFacts {
  return {
    localOpen,
    remoteOpen: (remoteFlags & HANDSHAKE_FLAGS.reachable) !== 0,
    remoteRelays: (remoteFlags & HANDSHAKE_FLAGS.relay) !== 0
  }
}
