// Dials peers learnt through peer exchange, within bounds: a hostile peer can make us try at
// most MAX_PEX_DIALS keys at once, each for PEX_DIAL_TIMEOUT_MS.

import type Hyperswarm from 'hyperswarm'
import { MAX_PEX_DIALS, PEX_DIAL_TIMEOUT_MS } from '../constants.js'

export class PeerDialer {
  private readonly swarm: Hyperswarm
  private readonly pending = new Map<string, NodeJS.Timeout>()
  private readonly room: () => boolean
  /** Keys dialled so far, for the tests and the view. */
  dialled = 0

  /** `room` says whether the node may take another connection. */
  constructor (swarm: Hyperswarm, room: () => boolean) {
    this.swarm = swarm
    this.room = room
  }

  dial (keys: Buffer[]): void {
    for (const key of keys) {
      const id = key.toString('hex')
      if (this.pending.size >= MAX_PEX_DIALS || !this.room()) return
      if (this.pending.has(id) || key.equals(this.swarm.keyPair.publicKey) || this.connected(key)) continue
      this.dialled++
      // An explicit peer: hyperswarm looks it up by its key and retries with backoff until
      // we leave it, which we do once connected or when the attempt times out.
      this.swarm.joinPeer(key)
      this.pending.set(id, setTimeout(() => this.settle(key), PEX_DIAL_TIMEOUT_MS))
    }
  }

  /** A connection to `key` opened: stop treating it as explicit (no endless redials). */
  onConnection (key: Buffer): void {
    if (this.pending.has(key.toString('hex'))) this.settle(key)
  }

  close (): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }

  private settle (key: Buffer): void {
    const id = key.toString('hex')
    const timer = this.pending.get(id)
    if (timer !== undefined) clearTimeout(timer)
    this.pending.delete(id)
    this.swarm.leavePeer(key)
  }

  private connected (key: Buffer): boolean {
    for (const conn of this.swarm.connections) if (conn.remotePublicKey.equals(key)) return true
    return false
  }
}
