// Decides which peers we upload to. Pure: the caller passes the peers' interest and rates
// every RECHOKE_INTERVAL_MS and applies the returned changes itself (libtorrent choker.cpp,
// BitTorrent mainline Choker.py). No timers, no sockets, no clock.
//
// `slots` regular slots plus one optimistic slot. Downloading, regular slots go to the peers
// that send to us fastest (tit-for-tat); seeding, to those we serve fastest, rotated so that
// every interested peer is served in turn. Uninterested peers never hold a slot: one that
// becomes interested waits for the next round.

import { OPTIMISTIC_UNCHOKE_ROUNDS, SEED_ROTATE_ROUNDS, UPLOAD_SLOTS } from './constants.js'
import { invalidOption } from './errors.js'

export interface ChokeCandidate {
  id: string
  /** The remote wants pieces we have. Only interested peers take slots. */
  interested: boolean
  /** Bytes/s we receive from it: tit-for-tat while we download. */
  downloadRate: number
  /** Bytes/s we send to it: while seeding, favour those we serve fastest. */
  uploadRate: number
  /** We currently do not choke it. */
  unchoked: boolean
}

export interface ChokerOptions {
  /** Regular upload slots (default UPLOAD_SLOTS); 0 serves nobody, not even optimistically. */
  slots?: number
  /** Rounds between optimistic rotations (default OPTIMISTIC_UNCHOKE_ROUNDS). */
  optimisticRounds?: number
  /** Seeding: rounds a peer keeps a slot while others wait (default SEED_ROTATE_ROUNDS). */
  seedRotateRounds?: number
  random?: () => number
}

export type ChokeReason = 'tit-for-tat' | 'fastest' | 'round-robin' | 'optimistic'

export interface ChokeDecision {
  /** Peers to unchoke that are choked now. */
  unchoke: string[]
  /** Peers to choke that are unchoked now. */
  choke: string[]
  /** The optimistic peer after this round (new or kept), or null. */
  optimistic: string | null
  /** Why each unchoked peer got its slot */
  reasons: Map<string, ChokeReason>
}

interface PeerState {
  /** Consecutive rounds in a regular slot. */
  held: number
  /** Consecutive rounds interested but choked: the longest waiter is served first. */
  waited: number
  /** Not yet present at any optimistic pick: weighted 3× (mainline gives new peers a start). */
  newcomer: boolean
}

const NEWCOMER_WEIGHT = 3

export class Choker {
  private readonly opts: Required<ChokerOptions>
  private readonly state = new Map<string, PeerState>()
  private optimistic: string | null = null
  private optimisticAge = 0

  constructor (opts: ChokerOptions = {}) {
    this.opts = {
      slots: UPLOAD_SLOTS,
      optimisticRounds: OPTIMISTIC_UNCHOKE_ROUNDS,
      seedRotateRounds: SEED_ROTATE_ROUNDS,
      random: Math.random,
      ...opts
    }
    const { slots, optimisticRounds, seedRotateRounds } = this.opts
    if (!Number.isInteger(slots) || slots < 0) throw invalidOption(`slots must be an integer ≥ 0, got ${slots}`)
    if (!Number.isInteger(optimisticRounds) || optimisticRounds < 1) throw invalidOption(`optimisticRounds must be an integer ≥ 1, got ${optimisticRounds}`)
    if (!Number.isInteger(seedRotateRounds) || seedRotateRounds < 1) throw invalidOption(`seedRotateRounds must be an integer ≥ 1, got ${seedRotateRounds}`)
  }

  /** Peers with state kept between rounds; vanished peers are forgotten. */
  get trackedPeers (): number { return this.state.size }

  /** One round. `seeding` true when we hold every piece. Returns state changes only. */
  rechoke (peers: ChokeCandidate[], seeding: boolean): ChokeDecision {
    this.track(peers)
    const interested = peers.filter((p) => p.interested)
    const reasons = new Map<string, ChokeReason>()
    if (this.opts.slots > 0) {
      if (seeding) this.pickSeeding(interested, reasons)
      else for (const p of this.byRate(interested, 'downloadRate').slice(0, this.opts.slots)) reasons.set(p.id, 'tit-for-tat')
      this.pickOptimistic(interested, reasons)
    } else {
      this.optimistic = null
    }

    const unchoke: string[] = []
    const choke: string[] = []
    for (const p of peers) {
      const s = this.state.get(p.id)!
      const slot = reasons.get(p.id)
      const regular = slot !== undefined && slot !== 'optimistic'
      s.held = regular ? s.held + 1 : 0
      s.waited = p.interested && slot === undefined ? s.waited + 1 : 0
      if (slot !== undefined && !p.unchoked) unchoke.push(p.id)
      if (slot === undefined && p.unchoked) choke.push(p.id)
    }
    return { unchoke, choke, optimistic: this.optimistic, reasons }
  }

  /** Drop state of vanished ids (no unbounded growth) and start state for new ones. */
  private track (peers: ChokeCandidate[]): void {
    const present = new Set(peers.map((p) => p.id))
    for (const id of this.state.keys()) if (!present.has(id)) this.state.delete(id)
    for (const id of present) if (!this.state.has(id)) this.state.set(id, { held: 0, waited: 0, newcomer: true })
  }

  /** Fastest first; shuffled before the stable sort so equal rates are ordered at random. */
  private byRate (peers: ChokeCandidate[], rate: 'downloadRate' | 'uploadRate'): ChokeCandidate[] {
    const list = [...peers]
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(this.opts.random() * (i + 1))
      const t = list[i]!
      list[i] = list[j]!
      list[j] = t
    }
    return list.sort((a, b) => b[rate] - a[rate])
  }

  /** Holders keep their slot for seedRotateRounds, then yield it to the longest waiter. */
  private pickSeeding (interested: ChokeCandidate[], reasons: Map<string, ChokeReason>): void {
    const { slots, seedRotateRounds } = this.opts
    const ranked = this.byRate(interested, 'uploadRate')
    const held = (p: ChokeCandidate): number => this.state.get(p.id)!.held
    const holders = ranked.filter((p) => held(p) > 0)
    // Longest-held yield first; among equals the slowest (ranked is fastest first).
    const expired = holders.filter((p) => held(p) >= seedRotateRounds).reverse().sort((a, b) => held(b) - held(a))
    for (const p of holders) if (held(p) < seedRotateRounds) reasons.set(p.id, 'fastest')
    // Slots freed by departed or uninterested holders go to the fastest non-holders
    // (the optimistic peer may earn one).
    for (const p of ranked) {
      if (reasons.size + expired.length >= slots) break
      if (held(p) === 0) reasons.set(p.id, 'fastest')
    }
    // The optimistic peer is unchoked, so it is not waiting; ties among waiters stay by rate.
    const waiting = ranked
      .filter((p) => held(p) === 0 && !reasons.has(p.id) && p.id !== this.optimistic)
      .sort((a, b) => this.state.get(b.id)!.waited - this.state.get(a.id)!.waited)
    for (const p of expired) {
      if (reasons.size >= slots) break
      const next = waiting.shift()
      reasons.set(next?.id ?? p.id, next !== undefined ? 'round-robin' : 'fastest')
    }
  }

  /** Rotate every optimisticRounds rounds, or at once when the current one is gone. */
  private pickOptimistic (interested: ChokeCandidate[], reasons: Map<string, ChokeReason>): void {
    const candidates = interested.filter((p) => !reasons.has(p.id))
    const current = this.optimistic
    const keep = current !== null && this.optimisticAge < this.opts.optimisticRounds &&
      candidates.some((p) => p.id === current)
    if (!keep) {
      // Rotation moves to another peer when there is one.
      const others = candidates.filter((p) => p.id !== current)
      const pool = others.length > 0 ? others : candidates
      this.optimistic = this.weightedPick(pool)
      this.optimisticAge = 0
      for (const s of this.state.values()) s.newcomer = false
    }
    this.optimisticAge++
    if (this.optimistic !== null) reasons.set(this.optimistic, 'optimistic')
  }

  /** In the given order; a newcomer counts NEWCOMER_WEIGHT times. */
  private weightedPick (pool: ChokeCandidate[]): string | null {
    const weight = (p: ChokeCandidate): number => this.state.get(p.id)!.newcomer ? NEWCOMER_WEIGHT : 1
    let ticket = this.opts.random() * pool.reduce((sum, p) => sum + weight(p), 0)
    for (const p of pool) {
      ticket -= weight(p)
      if (ticket < 0) return p.id
    }
    return pool.at(-1)?.id ?? null
  }
}
