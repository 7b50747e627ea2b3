// Decides which blocks to request from a peer. Pure: it sees peers only as bitfields and
// knows nothing of sockets or disks (libtorrent piece_picker; webtorrent#2150 is the
// counter-example of a picker wired into the transport).
//
// Order: finish pieces already started (partial-first), else a random piece while we hold
// almost nothing (random-first: something to trade quickly), else the rarest piece the peer
// has, ties broken at random. Endgame: once every piece we lack is in progress and every
// block of them is requested, a peer with room is given blocks already requested from
// others (BitTorrent endgame), so one slow peer cannot hold back the last pieces.

import type { Bitfield } from '../bitfield.js'
import type { BlockRange } from '../types.js'
import { PartialPiece } from './partial-piece.js'

export type PickReason = 'partial' | 'random-first' | 'rarest' | 'endgame'

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
}

/** Whether the block is already requested from the peer being filled. */
export type RequestedFromPeer = (piece: number, offset: number) => boolean

export class PiecePicker {
  private readonly opts: Required<PiecePickerOptions>
  private readonly have: Bitfield
  private readonly availability: Uint32Array
  private readonly partials = new Map<number, PartialPiece>()

  constructor (have: Bitfield, opts: PiecePickerOptions) {
    this.have = have
    this.opts = { randomFirstPieces: 4, random: Math.random, maxDuplicateRequests: 2, ...opts }
    const dup = this.opts.maxDuplicateRequests
    // Counts live in a Uint16Array whose top value marks a received block.
    if (!Number.isInteger(dup) || dup < 1 || dup > 0xfffe) throw new RangeError(`maxDuplicateRequests ${dup} out of range`)
    this.availability = new Uint32Array(opts.pieceCount)
  }

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

  /** `have` is shared with the downloader, which sets a bit right after onPieceVerified. */
  private get lacking (): number { return this.opts.pieceCount - this.have.size }

  /** A peer's pieces join (or leave, with sign -1) the availability counts. */
  addAvailability (peerHas: Bitfield, sign: 1 | -1 = 1): void {
    for (const piece of peerHas.indices()) this.availability[piece]! += sign
  }

  onHave (piece: number): void {
    this.availability[piece]!++
  }

  availabilityOf (piece: number): number {
    return this.availability[piece] ?? 0
  }

  /** Up to `max` blocks the peer can serve, marked as requested: unrequested ones, or in
   *  endgame ones requested from other peers. Endgame needs `requestedFromPeer` (without
   *  it a duplicate could go to the peer already asked) and never picks a block it accepts. */
  pickBlocks (peerHas: Bitfield, max: number, requestedFromPeer?: RequestedFromPeer): Pick[] {
    const picks: Pick[] = []
    for (const partial of this.partials.values()) {
      if (picks.length >= max) return picks
      if (peerHas.has(partial.piece)) this.takeBlocks(partial, max - picks.length, 'partial', picks)
    }
    // Every piece we lack already in progress: no scan for a new one can succeed.
    const lacking = this.lacking
    while (picks.length < max && this.partials.size < this.opts.maxPartialPieces && this.partials.size < lacking) {
      const random = this.have.size < this.opts.randomFirstPieces
      const piece = this.pickNewPiece(peerHas, random)
      if (piece === -1) break
      const partial = new PartialPiece(piece, this.opts.pieceLength(piece), this.opts.blockBytes)
      this.partials.set(piece, partial)
      this.takeBlocks(partial, max - picks.length, random ? 'random-first' : 'rarest', picks)
    }
    if (picks.length < max && requestedFromPeer !== undefined && this.inEndgame) this.pickDuplicates(peerHas, max, requestedFromPeer, picks)
    return picks
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
    this.partials.get(piece)?.release(offset)
  }

  onPieceVerified (piece: number): void {
    this.partials.delete(piece)
  }

  /** A piece that failed its hash is fetched again from scratch. */
  onPieceFailed (piece: number): void {
    this.partials.delete(piece)
  }

  private takeBlocks (partial: PartialPiece, max: number, reason: PickReason, into: Pick[]): void {
    for (const block of partial.takeUnrequested(max)) into.push({ ...block, reason })
  }

  /** Least-duplicated blocks first, so every block gets a second source before any a third. */
  private pickDuplicates (peerHas: Bitfield, max: number, requestedFromPeer: RequestedFromPeer, into: Pick[]): void {
    // Blocks picked in this call are not yet known to the caller's `requestedFromPeer`.
    const pickedNow = new Set(into.map((b) => `${b.piece}:${b.offset}`))
    for (let requests = 1; requests < this.opts.maxDuplicateRequests && into.length < max; requests++) {
      for (const partial of this.partials.values()) {
        if (into.length >= max) return
        if (!peerHas.has(partial.piece)) continue
        const skip = (offset: number): boolean => requestedFromPeer(partial.piece, offset) || pickedNow.has(`${partial.piece}:${offset}`)
        for (const block of partial.takeDuplicates(max - into.length, requests, skip)) {
          into.push({ ...block, reason: 'endgame' })
          pickedNow.add(`${block.piece}:${block.offset}`)
        }
      }
    }
  }

  /** One scan over the pieces; reservoir sampling breaks ties without a second pass. */
  private pickNewPiece (peerHas: Bitfield, random: boolean): number {
    let best = -1
    let bestAvailability = Infinity
    let ties = 0
    for (const piece of peerHas.indices()) {
      if (this.have.has(piece) || this.partials.has(piece)) continue
      const availability = random ? 0 : this.availability[piece]!
      if (availability < bestAvailability) {
        best = piece
        bestAvailability = availability
        ties = 1
      } else if (availability === bestAvailability && this.opts.random() * ++ties < 1) {
        best = piece
      }
    }
    return best
  }
}
