// Relaying for peers that cannot reach each other (both behind NATs that pick a new port per
// destination, or a firewall that drops the punch): a reachable node forwards their UDX
// packets blindly (blind-relay, what hyperdht's `relayThrough` speaks); the Noise session
// stays end to end, so the relay sees only ciphertext.

import { Server as BlindRelayServer, type RelaySession } from 'blind-relay'
import type DHT from 'hyperdht'
import type { SecretStream } from 'hyperswarm'

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

/** Picks the relay for a connection attempt from the reachable peers that offer it: none
 *  unless hole-punching failed (`force`) or cannot work from here (a random-port NAT). */
export function chooseRelay (force: boolean, nat: string, candidates: Buffer[]): Buffer | null {
  if (!force && nat !== 'random') return null
  if (candidates.length === 0) return null
  return candidates[Math.floor(Math.random() * candidates.length)]!
}
