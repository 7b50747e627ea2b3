// Peer exchange for one share: a newcomer is told the peers we hold for this share, and the
// others are told of the newcomer, so peers that joined together find each other at once
// instead of at the next DHT lookup (BEP 11's idea, with public keys for addresses).

import { MAX_PEX_PEERS, PEX_INTERVAL_MS } from '../constants.js'
import type { Peer } from './peer.js'

export interface PeerExchangeHooks {
  peers: () => Iterable<Peer>
  /** Keys a peer told us of that this share has no channel with yet. */
  onLearned: (keys: Buffer[], from: Peer) => void
}

export class PeerExchange {
  private readonly hooks: PeerExchangeHooks
  private readonly joined = new Set<Peer>()
  private timer: NodeJS.Timeout | null = null
  /** When each peer's last message was taken: one per PEX_INTERVAL_MS, the rest ignored. */
  private readonly heardAt = new WeakMap<Peer, number>()

  constructor (hooks: PeerExchangeHooks) {
    this.hooks = hooks
  }

  /** A peer opened this share's channel: it gets our list now, the others hear of it soon
   *  (newcomers within PEX_INTERVAL_MS go out together). */
  onPeerAdded (peer: Peer): void {
    const keys: Buffer[] = []
    for (const other of this.hooks.peers()) {
      if (other !== peer && keys.length < MAX_PEX_PEERS) keys.push(other.key)
    }
    if (keys.length > 0) peer.wire.send('peers', { keys })
    this.joined.add(peer)
    this.timer ??= setTimeout(() => this.flush(), PEX_INTERVAL_MS)
  }

  onPeerRemoved (peer: Peer): void {
    this.joined.delete(peer)
  }

  onMessage (from: Peer, keys: Buffer[], now = Date.now()): void {
    const last = this.heardAt.get(from)
    if (last !== undefined && now - last < PEX_INTERVAL_MS) return
    this.heardAt.set(from, now)
    const known = new Set<string>()
    for (const peer of this.hooks.peers()) known.add(peer.id)
    const fresh = keys.filter((key) => !known.has(key.toString('hex')) && !key.equals(from.key))
    if (fresh.length > 0) this.hooks.onLearned(fresh, from)
  }

  stop (): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.joined.clear()
  }

  private flush (): void {
    this.timer = null
    const newcomers = [...this.joined].slice(0, MAX_PEX_PEERS)
    this.joined.clear()
    for (const peer of this.hooks.peers()) {
      const keys = newcomers.filter((n) => n !== peer).map((n) => n.key)
      if (keys.length > 0) peer.wire.send('peers', { keys })
    }
  }
}
