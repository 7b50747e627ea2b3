// Decides which blocks to request from a peer. Pure: it sees peers only as bitfields and
// knows nothing of sockets or disks (libtorrent piece_picker; webtorrent#2150 is the
// counter-example of a picker wired into the transport).
//
// Order: finish pieces already started (partial-first), else a random piece while we hold
// almost nothing (random-first: something to trade quickly), else the rarest piece the peer
// has, ties broken at random. Endgame: once every piece we lack is in progress and every
// block of them is requested, a peer with room is given blocks already requested from
// others (BitTorrent endgame), so one slow peer cannot hold back the last pieces.
//
// Streaming: pieces a reader is about to reach (picker/streaming-window.ts) are urgent and go
// before everything else, even past the partial-piece limit by a few: the ones it reads next in
// deadline order, then those due soon, then the rest of its window, both rarest first with
// random ties; after a seek, urgent pieces nobody has sent a block of yet are abandoned
// (their requests cancelled).
//
// A piece that failed its hash is fetched again before any new piece, and from one peer
// alone (preferably one that sent none of the bad copy): if that copy fails too its sender
// is known, and if it verifies, smart-ban compares it with the bad one (session/smart-ban.ts).

import type { Bitfield } from '../bitfield.js'
import type { BlockRange } from '../types.js'
import { PartialPiece } from './partial-piece.js'
import { PieceBuckets } from './piece-buckets.js'
import { UrgentList } from './urgent-list.js'

export type PickReason = 'urgent' | 'partial' | 'random-first' | 'rarest' | 'endgame' | 'refetch'

export interface Pick extends BlockRange {
  reason: PickReason
}

export interface PiecePickerOptions {
  pieceCount: number
  pieceLength: (piece: number) => number
  blockBytes: number
  /** Pieces assembled at once; bounds the downloader's buffer memory. */
  maxPartialPieces: number
  /** Below this many verified pieces, new pieces are picked at random. */
  randomFirstPieces?: number
  random?: () => number
  /** Endgame: peers one block is requested from at most, counting the first (default 2). */
  maxDuplicateRequests?: number
  /** Each piece's priority (selection/file-selection.ts PIECE_PRIORITY): 0 never requested,
   *  higher before lower, rarest first within one. Absent: every piece alike. Read live, but
   *  whoever changes one calls priorityChanged(piece): pieces are filed by priority. */
  priorities?: Uint8Array | null
  /** Urgent pieces may be started past maxPartialPieces by this many (default 0). */
  urgentExtraPieces?: number
}

/** Whether the block is already requested from the peer being filled. */
export type RequestedFromPeer = (piece: number, offset: number) => boolean

export class PiecePicker {
  private readonly opts: Required<PiecePickerOptions>
  private readonly have: Bitfield
  private readonly availability: Uint32Array
  private readonly partials = new Map<number, PartialPiece>()
  /** Failed pieces to fetch again from a single peer, with the peers that sent the bad copy. */
  private readonly refetch = new Map<number, ReadonlySet<string>>()
  /** Pieces readers are about to reach, most urgent first (setUrgent). */
  private readonly urgent: UrgentList
  /** Pieces nobody has started, by priority and availability: what a new pick chooses from. */
  private readonly candidates: PieceBuckets
  /** 1 for each piece counted as selected (in `selected` and, until held, `missing`). */
  private readonly counted: Uint8Array

  /** Selected pieces not yet held (every piece when there are no priorities). */
  private missing = 0
  private selected = 0

  constructor (have: Bitfield, opts: PiecePickerOptions) {
    this.have = have
    this.opts = { randomFirstPieces: 4, random: Math.random, maxDuplicateRequests: 2, priorities: null, urgentExtraPieces: 0, ...opts }
    this.urgent = new UrgentList(this.opts.random)
    const priorities = this.opts.priorities
    if (priorities !== null && priorities.length !== opts.pieceCount) throw new RangeError(`${priorities.length} priorities for ${opts.pieceCount} pieces`)
    const dup = this.opts.maxDuplicateRequests
    // Counts live in a Uint16Array whose top value marks a received block.
    if (!Number.isInteger(dup) || dup < 1 || dup > 0xfffe) throw new RangeError(`maxDuplicateRequests ${dup} out of range`)
    this.availability = new Uint32Array(opts.pieceCount)
    this.candidates = new PieceBuckets(opts.pieceCount, this.availability, this.opts.random)
    this.counted = new Uint8Array(opts.pieceCount)
    for (let piece = 0; piece < opts.pieceCount; piece++) {
      if (!this.isSelected(piece)) continue
      this.counted[piece] = 1
      this.selected++
      if (have.has(piece)) continue
      this.missing++
      this.candidates.add(piece, this.priorityOf(piece))
    }
  }

  /** Pieces the selection asks for (every piece without one). */
  get selectedCount (): number { return this.selected }

  get partialCount (): number { return this.partials.size }

  /** The pieces being assembled now (started, not yet verified). */
  partialPieces (): number[] { return [...this.partials.keys()] }

  /** Every piece we lack is in progress and every block of them is requested or received. */
  get inEndgame (): boolean {
    const lacking = this.lacking
    if (lacking === 0 || lacking !== this.partials.size) return false
    for (const partial of this.partials.values()) if (partial.hasUnrequested) return false
    return true
  }

  /** Selected pieces we lack: zero when the download is complete. `have` is shared with the
   *  downloader, which sets a bit right after onPieceVerified (where the count goes down). */
  get lacking (): number { return this.missing }

  /** Whether the selection asks for this piece at all. */
  isSelected (piece: number): boolean {
    return this.priorityOf(piece) > 0
  }

  /** priorities[piece] was changed: the piece is filed anew (normal ↔ high takes effect at the
   *  next pick). Returns whether it went from skipped to selected or back, which changes
   *  `selectedCount` and, for a piece not held, `lacking`. */
  priorityChanged (piece: number): boolean {
    const priority = this.priorityOf(piece)
    const selected = priority > 0
    const changed = selected !== (this.counted[piece] === 1)
    if (changed) {
      const sign = selected ? 1 : -1
      this.counted[piece] = selected ? 1 : 0
      this.selected += sign
      if (!this.have.has(piece)) this.missing += sign
    }
    if (this.candidates.priorityOf(piece) !== priority) this.refile(piece)
    return changed
  }

  /** Every piece's priority anew (a file raised or lowered while the download runs): written
   *  into the live array (one made when there was none) and each piece that changed refiled.
   *  Returns whether the selection changed (a piece went from skipped to selected or back). */
  setPriorities (next: Uint8Array): boolean {
    if (next.length !== this.opts.pieceCount) throw new RangeError(`${next.length} priorities for ${this.opts.pieceCount} pieces`)
    const live = this.opts.priorities ?? (this.opts.priorities = new Uint8Array(this.opts.pieceCount).fill(1))
    let selectionChanged = false
    for (let piece = 0; piece < next.length; piece++) {
      if (live[piece] === next[piece]) continue
      live[piece] = next[piece]!
      if (this.priorityChanged(piece)) selectionChanged = true
    }
    return selectionChanged
  }

  /** A peer's pieces join (or leave, with sign -1) the availability counts. */
  addAvailability (peerHas: Bitfield, sign: 1 | -1 = 1): void {
    for (const piece of peerHas.indices()) {
      this.availability[piece]! += sign
      this.candidates.availabilityChanged(piece)
    }
  }

  onHave (piece: number): void {
    this.availability[piece]!++
    this.candidates.availabilityChanged(piece)
  }

  availabilityOf (piece: number): number {
    return this.availability[piece] ?? 0
  }

  /** Up to `max` blocks the peer can serve, marked as requested: unrequested ones, or in
   *  endgame ones requested from other peers. Endgame needs `requestedFromPeer` (without
   *  it a duplicate could go to the peer already asked) and never picks a block it accepts.
   *  `peer` names the peer (for pieces fetched from one peer alone); without it, such
   *  pieces are left alone. */
  pickBlocks (peerHas: Bitfield, max: number, requestedFromPeer?: RequestedFromPeer, peer?: string): Pick[] {
    const picks: Pick[] = []
    if (this.urgent.pieces.length > 0) this.pickUrgent(peerHas, max, picks, peer)
    for (const partial of this.partials.values()) {
      if (picks.length >= max) return picks
      if (peerHas.has(partial.piece) && (partial.owner === null || partial.owner === peer)) this.takeBlocks(partial, max - picks.length, 'partial', picks)
    }
    // Every piece we lack already in progress: no scan for a new one can succeed.
    const lacking = this.lacking
    while (picks.length < max && this.partials.size < this.opts.maxPartialPieces && this.partials.size < lacking) {
      const refetch = this.pickRefetch(peerHas, peer)
      const random = refetch === -1 && this.have.size < this.opts.randomFirstPieces
      const piece = refetch !== -1 ? refetch : this.pickNewPiece(peerHas, random)
      if (piece === -1) break
      const partial = new PartialPiece(piece, this.opts.pieceLength(piece), this.opts.blockBytes)
      this.candidates.remove(piece)
      if (refetch !== -1) {
        partial.owner = peer ?? null
        this.refetch.delete(piece)
      }
      this.partials.set(piece, partial)
      this.takeBlocks(partial, max - picks.length, refetch !== -1 ? 'refetch' : random ? 'random-first' : 'rarest', picks)
    }
    if (picks.length < max && requestedFromPeer !== undefined && this.inEndgame) this.pickDuplicates(peerHas, max, requestedFromPeer, picks, peer)
    return picks
  }

  /** The pieces readers will reach next, most urgent first; replaces the previous list. The
   *  first `inOrder` go strictly in that order (what readers wait for now); then the rest of
   *  the first `imminent`, then the rest of the window, each rarest first with random ties, so
   *  streamers at one position fetch different pieces from the seeder and trade them instead
   *  of each taking the same piece from it. */
  setUrgent (pieces: readonly number[], imminent = pieces.length, inOrder = imminent): void {
    this.urgent.replace(pieces, this.opts.pieceCount, imminent, inOrder)
  }

  /** Whether a reader is about to reach the piece (it is in the urgent list). */
  isUrgent (piece: number): boolean { return this.urgent.has(piece) }

  get urgentPieces (): readonly number[] { return this.urgent.pieces }

  /** Whether a reader is about to reach a piece we lack (one of the in-order or imminent
   *  urgent pieces): the downloader keeps its request queues shallow meanwhile. */
  get awaitingImminent (): boolean {
    const { pieces, inOrder, imminent } = this.urgent
    const end = Math.min(pieces.length, inOrder + imminent.length)
    for (let i = 0; i < end; i++) if (!this.have.has(pieces[i]!)) return true
    return false
  }

  /** Gives up a piece in progress that no block has arrived for (a seek left it behind): it
   *  is picked afresh later like any other. Returns whether it was dropped; the caller cancels
   *  its requests. */
  abandon (piece: number): boolean {
    const partial = this.partials.get(piece)
    if (partial === undefined || partial.receivedCount > 0) return false
    this.partials.delete(piece)
    this.refile(piece)
    return true
  }

  /** Returns true when every block of the piece has arrived: it is ready to verify. */
  onBlockReceived (piece: number, offset: number): boolean {
    const partial = this.partials.get(piece)
    if (partial === undefined) return false
    return partial.markReceived(offset)
  }

  /** Whether this block is wanted at all (not already received, piece not held). */
  isWanted (piece: number, offset: number): boolean {
    return this.partials.get(piece)?.isMissing(offset) ?? false
  }

  /** Requests outstanding for the block (endgame may have several; 0 once received). */
  requestsOf (piece: number, offset: number): number {
    return this.partials.get(piece)?.requestsOf(offset) ?? 0
  }

  /** A request that will not be answered (peer gone, rejected, timed out) goes back: once
   *  per request, since the block stays requested while another peer's is outstanding. */
  releaseRequest (piece: number, offset: number): void {
    const partial = this.partials.get(piece)
    if (partial === undefined) return
    partial.release(offset)
    // Its one peer did not deliver (gone, choked, too slow): anyone may finish the piece.
    partial.owner = null
  }

  onPieceVerified (piece: number): void {
    this.partials.delete(piece)
    if (this.counted[piece] === 1 && !this.have.has(piece)) this.missing--
  }

  /** A piece that failed its hash is fetched again from scratch, from one peer, preferably
   *  not one of `senders` (who sent the bad copy). */
  onPieceFailed (piece: number, senders: Iterable<string> = []): void {
    this.partials.delete(piece)
    this.refetch.set(piece, new Set(senders))
  }

  /** Failed pieces waiting to be fetched again. */
  get refetchCount (): number { return this.refetch.size }

  /** Urgent pieces: the in-order ones in deadline order (blocks of those in progress, then new
   *  ones), then the other imminent ones, then the rest of the window, both rarest first; new
   *  ones may exceed the partial limit by urgentExtraPieces. A piece the selection skips, one
   *  fetched again from one peer alone, or one the peer lacks is left to the usual order. */
  private pickUrgent (peerHas: Bitfield, max: number, into: Pick[], peer: string | undefined): void {
    const limit = this.opts.maxPartialPieces + this.opts.urgentExtraPieces
    const eligible = (piece: number): boolean => peerHas.has(piece) && !this.have.has(piece) && this.isSelected(piece) && !this.refetch.has(piece)
    for (let i = 0; i < this.urgent.inOrder; i++) {
      const piece = this.urgent.pieces[i]!
      if (into.length >= max) return
      if (!eligible(piece)) continue
      let partial = this.partials.get(piece)
      if (partial === undefined) {
        // Full: the urgent pieces already started are served by the partial-first pass, so
        // the rest of a long window is not walked on every block that arrives.
        if (this.partials.size >= limit) return
        partial = this.startUrgent(piece)
      } else if (partial.owner !== null && partial.owner !== peer) {
        continue
      }
      this.takeBlocks(partial, max - into.length, 'urgent', into)
    }
    if (!this.pickRarestUrgent(this.urgent.imminent, max, limit, into, peer, eligible, true)) return
    // Full: the rest of a long window is not walked on every block (see above).
    if (this.partials.size >= limit) return
    this.pickRarestUrgent(this.urgent.later, max, limit, into, peer, eligible, false)
  }

  /** Urgent pieces of one group, rarest first, ties in the group's random order (streamers at
   *  one position must not all start the same piece: pieces in flight count for nobody's
   *  availability, so the same availability is all they see). With `started`, pieces of the
   *  group in progress go in that order too (the imminent ones: before the rest of the
   *  window); otherwise they are left to the partial-first pass. Returns whether there is
   *  room for more. */
  private pickRarestUrgent (group: readonly number[], max: number, limit: number, into: Pick[], peer: string | undefined,
    eligible: (piece: number) => boolean, started: boolean): boolean {
    if (into.length >= max) return false
    if (group.length === 0) return true
    const pieces = group.filter((piece) => eligible(piece) && (started || !this.partials.has(piece)))
    // Stable: the shuffled order breaks ties.
    pieces.sort((a, b) => this.availability[a]! - this.availability[b]!)
    for (const piece of pieces) {
      if (into.length >= max) return false
      const partial = this.partials.get(piece)
      if (partial === undefined) {
        if (this.partials.size >= limit) continue
        this.takeBlocks(this.startUrgent(piece), max - into.length, 'urgent', into)
      } else if (partial.owner === null || partial.owner === peer) {
        this.takeBlocks(partial, max - into.length, 'urgent', into)
      }
    }
    return into.length < max
  }

  private startUrgent (piece: number): PartialPiece {
    const partial = new PartialPiece(piece, this.opts.pieceLength(piece), this.opts.blockBytes)
    this.candidates.remove(piece)
    this.partials.set(piece, partial)
    return partial
  }

  private takeBlocks (partial: PartialPiece, max: number, reason: PickReason, into: Pick[]): void {
    for (const block of partial.takeUnrequested(max)) into.push({ ...block, reason })
  }

  /** A failed piece this peer has, skipping those it helped spoil while someone else may
   *  hold them (more holders than spoilers); -1 if none. */
  private pickRefetch (peerHas: Bitfield, peer: string | undefined): number {
    for (const [piece, senders] of this.refetch) {
      if (this.have.has(piece) || this.partials.has(piece)) {
        this.refetch.delete(piece)
        continue
      }
      if (!peerHas.has(piece)) continue
      if (peer !== undefined && senders.has(peer) && this.availability[piece]! > senders.size) continue
      return piece
    }
    return -1
  }

  /** Least-duplicated blocks first, so every block gets a second source before any a third.
   *  A piece owned by one peer gets no duplicates elsewhere. */
  private pickDuplicates (peerHas: Bitfield, max: number, requestedFromPeer: RequestedFromPeer, into: Pick[], peer?: string): void {
    // Blocks picked in this call are not yet known to the caller's `requestedFromPeer`.
    const pickedNow = new Set(into.map((b) => `${b.piece}:${b.offset}`))
    for (let requests = 1; requests < this.opts.maxDuplicateRequests && into.length < max; requests++) {
      for (const partial of this.partials.values()) {
        if (into.length >= max) return
        if (!peerHas.has(partial.piece) || (partial.owner !== null && partial.owner !== peer)) continue
        const skip = (offset: number): boolean => requestedFromPeer(partial.piece, offset) || pickedNow.has(`${partial.piece}:${offset}`)
        for (const block of partial.takeDuplicates(max - into.length, requests, skip)) {
          into.push({ ...block, reason: 'endgame' })
          pickedNow.add(`${block.piece}:${block.offset}`)
        }
      }
    }
  }

  /** The highest priority, then the lowest availability (or any, picking at random), ties
   *  broken at random (piece-buckets.ts). A candidate found stale (held, or its priority changed
   *  without word) is filed anew and the pick made again, so a skipped piece is never picked. */
  private pickNewPiece (peerHas: Bitfield, random: boolean): number {
    const stale: number[] = []
    const eligible = (piece: number): boolean => {
      if (!peerHas.has(piece)) return false
      if (this.have.has(piece) || this.priorityOf(piece) !== this.candidates.priorityOf(piece)) {
        stale.push(piece)
        return false
      }
      return true
    }
    for (;;) {
      const piece = this.candidates.pick(eligible, random)
      if (stale.length === 0) return piece
      for (const p of stale.splice(0)) this.refile(p)
    }
  }

  /** Files a piece under its current priority, or drops it if held or started. */
  private refile (piece: number): void {
    this.candidates.remove(piece)
    if (this.have.has(piece) || this.partials.has(piece) || this.refetch.has(piece)) return
    this.candidates.add(piece, this.priorityOf(piece))
  }

  private priorityOf (piece: number): number {
    const priorities = this.opts.priorities
    return priorities === null ? 1 : priorities[piece]!
  }
}
