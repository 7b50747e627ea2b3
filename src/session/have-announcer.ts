// Tells peers about the pieces we verify. Each message on this transport is its own encrypted
// packet, and in a swarm of small pieces haves outnumber every other message, so they are
// coalesced: the first after a quiet spell goes at once, those that follow within
// HAVE_BATCH_MS go together in one write per peer. A peer that already has the piece is
// not told (libtorrent's have suppression): it would never ask us for it.

import { HAVE_BATCH_MS } from '../constants.js'
import type { Peer } from './peer.js'

export class HaveAnnouncer {
  private readonly peers: () => Iterable<Peer>
  private pending: number[] = []
  private timer: NodeJS.Timeout | null = null
  /** Set while a batch window is open: haves wait for its end. */
  private windowOpen = false

  constructor (peers: () => Iterable<Peer>) {
    this.peers = peers
  }

  announce (piece: number): void {
    this.pending.push(piece)
    if (this.windowOpen) return
    this.flush()
  }

  stop (): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.pending = []
  }

  private flush (): void {
    const pieces = this.pending
    this.pending = []
    if (pieces.length === 0) {
      this.windowOpen = false
      return
    }
    for (const peer of this.peers()) {
      const news = peer.has === null ? pieces : pieces.filter((piece) => !peer.has!.has(piece))
      if (news.length === 0) continue
      peer.wire.batch(() => { for (const piece of news) peer.wire.send('have', { piece }) })
    }
    this.windowOpen = true
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, HAVE_BATCH_MS)
  }
}
