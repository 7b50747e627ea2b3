// Carries out the Choker's decisions on one session's peers: every RECHOKE_INTERVAL_MS a
// round; in between, a free slot (a newcomer's interest in a quiet swarm, a holder that left
// or lost interest) is filled at once, so upload capacity never idles until the next round.
// Those fills are budgeted: at most `slots` between two rounds, and none more once a peer
// given one was dropped for misbehaving. A peer that reconnects under a fresh key each time
// (a request flooder) is otherwise a newcomer every time and would be served at once every
// time; this way it is served at once at most once a round, and newcomers wait for the round.

import { Choker, type ChokeCandidate, type ChokeReason } from '../choker.js'
import type { Peer } from './peer.js'

export interface ChokingHooks {
  peers: () => Iterable<Peer>
  /** Whether we hold every piece (the choker then favours the peers we serve fastest). */
  seeding: () => boolean
  /** We stopped serving this peer: what it had asked for is dropped. */
  onChoked: (peer: Peer) => void
  /** We started serving this peer. */
  onUnchoked: (peer: Peer, reason: ChokeReason) => void
}

export class Choking {
  private readonly choker: Choker
  private readonly slots: number
  private readonly hooks: ChokingHooks
  /** Unchokes left before the next round (see the top of the file). */
  private fills: number
  /** Peers unchoked by a fill since the last round. */
  private readonly filled = new Set<Peer>()

  constructor (slots: number, hooks: ChokingHooks) {
    this.choker = new Choker({ slots })
    this.slots = slots
    this.hooks = hooks
    this.fills = slots
  }

  rechoke (): void {
    this.fills = this.slots
    this.filled.clear()
    const peers = new Map<string, Peer>()
    const candidates: ChokeCandidate[] = []
    for (const peer of this.hooks.peers()) {
      peers.set(peer.id, peer)
      candidates.push({
        id: peer.id,
        interested: peer.remoteInterested,
        downloadRate: peer.download.rate,
        uploadRate: peer.upload.rate,
        unchoked: !peer.choking
      })
    }
    const decision = this.choker.rechoke(candidates, this.hooks.seeding())
    for (const id of decision.choke) this.choke(peers.get(id)!)
    for (const id of decision.unchoke) this.unchoke(peers.get(id)!, decision.reasons.get(id)!)
  }

  onInterested (peer: Peer): void {
    peer.remoteInterested = true
    if (peer.choking && this.slots > 0 && this.slotsInUse() < this.slots) this.fill(peer)
  }

  /** A peer we serve stopped wanting anything: its slot goes to a waiting peer at once. */
  onNotInterested (peer: Peer): void {
    peer.remoteInterested = false
    if (!peer.choking) this.onSlotFreed()
  }

  /** A slot holder left or lost interest. Waiting for the next round would leave this
   *  node's upload idle for up to RECHOKE_INTERVAL_MS; the round sorts out who keeps it. */
  onSlotFreed (): void {
    if (this.slots === 0 || this.slotsInUse() >= this.slots + 1) return
    let next: Peer | null = null
    for (const p of this.hooks.peers()) {
      if (p.choking && p.remoteInterested && (next === null || p.download.rate > next.download.rate)) next = p
    }
    if (next !== null) this.fill(next)
  }

  /** A peer was dropped for breaking the protocol: if a fill served it, no more fills
   *  until the next round. */
  onMisbehaved (peer: Peer): void {
    if (this.filled.delete(peer)) this.fills = 0
  }

  /** Unchokes between rounds draw on the round's budget. */
  private fill (peer: Peer): void {
    if (this.fills === 0) return
    this.fills--
    this.filled.add(peer)
    this.unchoke(peer, this.fillReason())
  }

  /** Peers we serve that want something: an uninterested unchoked peer holds no slot. */
  private slotsInUse (): number {
    let used = 0
    for (const p of this.hooks.peers()) if (!p.choking && p.remoteInterested) used++
    return used
  }

  private fillReason (): ChokeReason {
    return this.hooks.seeding() ? 'fastest' : 'tit-for-tat'
  }

  private choke (peer: Peer): void {
    peer.choking = true
    peer.wire.send('choke', null)
    this.hooks.onChoked(peer)
  }

  private unchoke (peer: Peer, reason: ChokeReason): void {
    peer.choking = false
    peer.wire.send('unchoke', null)
    this.hooks.onUnchoked(peer, reason)
  }
}
