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
//
// A slot holder that asks for nothing holds no slot: interest says it lacks pieces we have,
// not that it will ask us for them (early in a swarm, what it lacks of ours is usually on
// its way from others). One that has asked for nothing for IDLE_SLOT_MS gives its slot to
// the peer that has waited longest, at the next check (every PROGRESS_INTERVAL_MS) and at
// the next round, and gets none back that way before the round; with nobody waiting it
// keeps it. Swarm bench, N = 16: in its first seconds an idle uploader's slots were
// mostly held by such peers (231 of 323 samples of an idle uploader's slot holders, 2.5–7 s
// after spawn), while a dozen other peers that wanted its pieces waited for the round.

import { Choker, type ChokeCandidate, type ChokeReason } from '../choker.js'
import { IDLE_SLOT_MS, NEWCOMER_PROBATION_MS } from '../constants.js'
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

export interface ChokingOptions {
  /** NEWCOMER_PROBATION_MS by default. */
  probationMs?: number
  /** IDLE_SLOT_MS by default. */
  idleSlotMs?: number
  /** Milliseconds, monotonic (performance.now by default). */
  now?: () => number
}

export class Choking {
  private readonly choker: Choker
  private readonly slots: number
  private readonly hooks: ChokingHooks
  private readonly probationMs: number
  private readonly idleSlotMs: number
  private readonly now: () => number
  /** Unchokes left before the next round (see the top of the file). */
  private fills: number
  /** Peers unchoked by a fill since the last round. */
  private readonly filled = new Set<Peer>()
  /** Peers that yielded their slot for idleness since the last round (reassignIdle). */
  private readonly idledOut = new Set<Peer>()
  /** Since when each choked peer has wanted to be served. */
  private readonly waitingSince = new WeakMap<Peer, number>()
  private probation = false
  /** The one pending re-check of waiting peers while on probation. */
  private recheck: NodeJS.Timeout | null = null

  constructor (slots: number, hooks: ChokingHooks, opts: ChokingOptions = {}) {
    this.choker = new Choker({ slots })
    this.slots = slots
    this.hooks = hooks
    this.probationMs = opts.probationMs ?? NEWCOMER_PROBATION_MS
    this.idleSlotMs = opts.idleSlotMs ?? IDLE_SLOT_MS
    this.now = opts.now ?? (() => performance.now())
    this.fills = slots
  }

  rechoke (): void {
    this.fills = this.slots
    this.filled.clear()
    this.endProbation()
    this.idledOut.clear()
    const peers = new Map<string, Peer>()
    const candidates: ChokeCandidate[] = []
    // An idle holder competes for nothing this round while someone waits for a slot (with
    // nobody waiting it keeps its own: choking it would leave the slot empty until the next
    // round). A choked peer may yet ask.
    const someoneWaits = this.waitingPeers().length > 0
    for (const peer of this.hooks.peers()) {
      peers.set(peer.id, peer)
      candidates.push({
        id: peer.id,
        interested: peer.remoteInterested && !(someoneWaits && this.idle(peer)),
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
    if (!this.waitingSince.has(peer)) this.waitingSince.set(peer, this.now())
    if (this.slots > 0 && this.slotsInUse() < this.slots) this.fill(peer)
  }

  /** It asked us for a block: while unchoked, it is using its slot. */
  onAsked (peer: Peer): void {
    if (!peer.choking) peer.askedAt = this.now()
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

  /** Every slot holder that has asked for nothing for idleSlotMs yields its slot to the
   *  peer that has waited longest for one (on probation, only to one that waited
   *  probationMs). A peer that yielded gets no slot back this way before the next round, so
   *  idle peers do not pass a slot round and round (a choke and an unchoke every
   *  idleSlotMs). Called often (every PROGRESS_INTERVAL_MS); cheap when nobody waits. */
  reassignIdle (): void {
    if (this.slots === 0) return
    const idle: Peer[] = []
    for (const p of this.hooks.peers()) if (this.idle(p)) idle.push(p)
    if (idle.length === 0) return
    const waiting = this.waitingPeers().filter((p) => !this.idledOut.has(p))
    for (const holder of idle) {
      const next = waiting.shift()
      if (next === undefined) return
      if (this.probation && !(this.now() - this.waitingSince.get(next)! >= this.probationMs)) return
      this.choke(holder)
      this.idledOut.add(holder)
      // Served between rounds, as a fill is: if it misbehaves, probation starts.
      this.filled.add(next)
      this.unchoke(next, this.fillReason())
    }
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
      const waited = this.now() - (this.waitingSince.get(peer) ?? Infinity)
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
    const due = this.waitingSince.get(longest)! + this.probationMs - this.now()
    this.recheck = setTimeout(() => {
      this.recheck = null
      if (!this.probation || this.slotsInUse() >= this.slots) return
      const next = this.longestWaiting()
      if (next !== null) this.fill(next)
    }, Math.max(0, Math.ceil(due)))
  }

  private longestWaiting (): Peer | null {
    return this.waitingPeers()[0] ?? null
  }

  /** Choked peers that want to be served, the longest waiting first. */
  private waitingPeers (): Peer[] {
    const waiting: Peer[] = []
    for (const p of this.hooks.peers()) {
      if (p.choking && p.remoteInterested && !p.dropped && this.waitingSince.has(p)) waiting.push(p)
    }
    return waiting.sort((a, b) => this.waitingSince.get(a)! - this.waitingSince.get(b)!)
  }

  /** Unchoked and interested, but nothing of its is queued and it has asked for nothing
   *  for idleSlotMs since it was unchoked. */
  private idle (peer: Peer): boolean {
    return !peer.choking && peer.remoteInterested && !peer.dropped && !peer.awaitingService &&
      this.now() - peer.askedAt >= this.idleSlotMs
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
    if (peer.remoteInterested) this.waitingSince.set(peer, this.now())
    peer.wire.send('choke', null)
    this.hooks.onChoked(peer)
  }

  private unchoke (peer: Peer, reason: ChokeReason): void {
    peer.choking = false
    peer.askedAt = this.now() // the time it takes to ask is not idleness
    this.waitingSince.delete(peer)
    peer.wire.send('unchoke', null)
    this.hooks.onUnchoked(peer, reason)
  }
}
