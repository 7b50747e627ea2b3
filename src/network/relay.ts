// Relaying for peers that cannot reach each other (both behind NATs that pick a new port per
// destination, or a firewall that drops the punch): a reachable node forwards their UDX
// packets blindly (blind-relay, what hyperdht's `relayThrough` speaks); the Noise session
// stays end to end, so the relay sees only ciphertext.

import { Server as BlindRelayServer, type RelaySession } from 'blind-relay'
import { createHash } from 'node:crypto'
import type DHT from 'hyperdht'
import type { SecretStream } from 'hyperswarm'
import type { NatKind } from './reachability.js'
import type { Peer } from '../session/peer.js'
import { HANDSHAKE_FLAGS } from '../wire/handshake.js'
import { MAX_INFRASTRUCTURE_RELAYS, RELAY_LOOKUP_TIMEOUT_MS } from '../constants.js'

/** The DHT topic a private network's relays (run by `bitswarm bootstrap`) announce under:
 *  a node whose swarm has no reachable peer can still find one there. */
export const RELAY_TOPIC = createHash('sha256').update('bitswarm relay v1').digest()

/** Serves relay pairings on the connections a reachable node accepts. */
export class RelayService {
  private readonly server: BlindRelayServer
  private readonly sessions = new Set<RelaySession>()

  constructor (dht: DHT) {
    this.server = new BlindRelayServer({ createStream: (opts) => dht.createRawStream({ ...opts, framed: true }) })
  }

  /** Connections relayed through this node right now. */
  get active (): number { return this.server.stats.pairings.active }

  /** Offers relaying on a connection; a peer that wants none just never pairs. Closing the
   *  relay channel leaves the connection itself alone. */
  accept (conn: SecretStream): void {
    const session = this.server.accept(conn, { id: conn.remotePublicKey })
    session.on('error', () => {})
    this.sessions.add(session)
    session.once('close', () => this.sessions.delete(session))
  }

  async close (): Promise<void> {
    for (const session of this.sessions) session.destroy()
    await this.server.close().catch(() => {})
  }
}

/** The relays announced under RELAY_TOPIC, at most MAX_INFRASTRUCTURE_RELAYS, looked up for
 *  at most RELAY_LOOKUP_TIMEOUT_MS. */
export async function findRelays (dht: DHT): Promise<Buffer[]> {
  const keys = new Map<string, Buffer>()
  const query = dht.lookup(RELAY_TOPIC)
  const timer = setTimeout(() => query.destroy(), RELAY_LOOKUP_TIMEOUT_MS)
  try {
    for await (const reply of query) {
      for (const peer of reply.peers) keys.set(peer.publicKey.toString('hex'), peer.publicKey)
      if (keys.size >= MAX_INFRASTRUCTURE_RELAYS) break
    }
  } catch {
    // A lookup cut short by the timer or by the DHT closing: what was found stands.
  } finally {
    clearTimeout(timer)
    query.destroy()
  }
  return [...keys.values()].slice(0, MAX_INFRASTRUCTURE_RELAYS)
}

/** Picks the relay for a connection attempt from the reachable peers that offer it: none
 *  unless hole-punching failed (`force`) or cannot work from here (a random-port NAT). */
export function chooseRelay (force: boolean, nat: NatKind, candidates: Buffer[]): Buffer | null {
  if (!force && nat !== 'random') return null
  if (candidates.length === 0) return null
  return candidates[Math.floor(Math.random() * candidates.length)]!
}

/** The relays a connection attempt may use: the peers (of any share) that offer relaying and
 *  that we reach without a relay, each once; else `fallback`, the private network's own. */
export function relayCandidates (peers: Iterable<Pick<Peer, 'id' | 'key' | 'flags' | 'route'>>, fallback: Buffer[]): Buffer[] {
  const keys = new Map<string, Buffer>()
  for (const peer of peers) {
    if ((peer.flags & HANDSHAKE_FLAGS.relay) !== 0 && peer.route !== 'relayed') keys.set(peer.id, peer.key)
  }
  return keys.size > 0 ? [...keys.values()] : fallback
}
