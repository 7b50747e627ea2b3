// Carries out the Choker's decisions on one session's peers: every RECHOKE_INTERVAL_MS a
// round; in between, a free slot (a newcomer's interest in a quiet swarm, a holder that left
// or lost interest) is filled at once, so upload capacity never idles until the next round.
// Those fills are budgeted: at most `slots` between two rounds. A peer that reconnects under
// a fresh key each time (a request flooder) is a newcomer every time and would be served at
// once every time, so once a peer given a fill was dropped for misbehaving the session is on
// probation until the next round: a fill then goes only to a peer that has waited
// NEWCOMER_PROBATION_MS choked without breaking the protocol, the longest waiting first. A
// flooder is served at once at most once a round; an honest newcomer waits a moment, not
// the rest of the round.

import { Choker, type ChokeCandidate, type ChokeReason } from '../choker.js'
import { NEWCOMER_PROBATION_MS } from '../constants.js'
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
  private readonly probationMs: number
  /** Unchokes left before the next round (see the top of the file). */
  private fills: number
  /** Peers unchoked by a fill since the last round. */
  private readonly filled = new Set<Peer>()
  /** Since when each choked peer has wanted to be served. */
  private readonly waitingSince = new WeakMap<Peer, number>()
  private probation = false
  /** The one pending re-check of waiting peers while on probation. */
  private recheck: NodeJS.Timeout | null = null

  constructor (slots: number, hooks: ChokingHooks, probationMs = NEWCOMER_PROBATION_MS) {
    this.choker = new Choker({ slots })
    this.slots = slots
    this.hooks = hooks
    this.probationMs = probationMs
    this.fills = slots
  }

  rechoke (): void {
    this.fills = this.slots
    this.filled.clear()
    this.endProbation()
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
    if (!this.waitingSince.has(peer)) this.waitingSince.set(peer, performance.now())
    if (this.slots > 0 && this.slotsInUse() < this.slots) this.fill(peer)
  }

  /** A peer we serve stopped wanting anything: its slot goes to a waiting peer at once. */
  onNotInterested (peer: Peer): void {
    peer.remoteInterested = false
    this.waitingSince.delete(peer)
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

  /** A peer was dropped for breaking the protocol: if a fill served it, probation until the
   *  next round. */
  onMisbehaved (peer: Peer): void {
    this.waitingSince.delete(peer)
    if (this.filled.delete(peer)) this.probation = true
  }

  /** Stops the pending re-check (the session is closing). */
  stop (): void { this.endProbation() }

  /** Unchokes between rounds draw on the round's budget; on probation, only peers that
   *  waited long enough may have one. */
  private fill (peer: Peer): void {
    if (this.fills === 0) return
    if (this.probation) {
      const waited = performance.now() - (this.waitingSince.get(peer) ?? Infinity)
      if (!(waited >= this.probationMs)) {
        this.recheckLater()
        return
      }
    }
    this.fills--
    this.filled.add(peer)
    this.unchoke(peer, this.fillReason())
  }

  /** On probation: once the longest waiting peer has waited enough, it gets a free slot. */
  private recheckLater (): void {
    if (this.recheck !== null) return
    const longest = this.longestWaiting()
    if (longest === null) return
    const due = this.waitingSince.get(longest)! + this.probationMs - performance.now()
    this.recheck = setTimeout(() => {
      this.recheck = null
      if (!this.probation || this.slotsInUse() >= this.slots) return
      const next = this.longestWaiting()
      if (next !== null) this.fill(next)
    }, Math.max(0, Math.ceil(due)))
  }

  private longestWaiting (): Peer | null {
    let longest: Peer | null = null
    let since = Infinity
    for (const p of this.hooks.peers()) {
      const t = this.waitingSince.get(p)
      if (p.choking && p.remoteInterested && !p.dropped && t !== undefined && t < since) {
        longest = p
        since = t
      }
    }
    return longest
  }

  private endProbation (): void {
    this.probation = false
    if (this.recheck !== null) clearTimeout(this.recheck)
    this.recheck = null
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
    if (peer.remoteInterested) this.waitingSince.set(peer, performance.now())
    peer.wire.send('choke', null)
    this.hooks.onChoked(peer)
  }

  private unchoke (peer: Peer, reason: ChokeReason): void {
    peer.choking = false
    this.waitingSince.delete(peer)
    peer.wire.send('unchoke', null)
    this.hooks.onUnchoked(peer, reason)
  }
}
