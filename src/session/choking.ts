// Carries out the Choker's decisions on one session's peers: every RECHOKE_INTERVAL_MS a
// round, and at once when a peer becomes interested while a regular slot is free, so a
// newcomer to a quiet swarm is not kept waiting for the next round.

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

  constructor (slots: number, hooks: ChokingHooks) {
    this.choker = new Choker({ slots })
    this.slots = slots
    this.hooks = hooks
  }

  rechoke (): void {
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
    if (!peer.choking) return
    let unchoked = 0
    for (const p of this.hooks.peers()) if (!p.choking) unchoked++
    if (unchoked < this.slots) this.unchoke(peer, this.hooks.seeding() ? 'fastest' : 'tit-for-tat')
  }

  onNotInterested (peer: Peer): void {
    peer.remoteInterested = false
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
