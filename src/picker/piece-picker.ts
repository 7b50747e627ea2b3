// Decides which blocks to request from a peer. Pure: it sees peers only as bitfields and
// knows nothing of sockets or disks (libtorrent piece_picker; webtorrent#2150 is the
// counter-example of a picker wired into the transport).
//
// Order: finish pieces already started (partial-first), else a random piece while we hold
// almost nothing (random-first: something to trade quickly), else the rarest piece the peer
// has, ties broken at random.

import type { Bitfield } from '../bitfield.js'
import type { BlockRange } from '../types.js'
import { PartialPiece } from './partial-piece.js'

export type PickReason = 'partial' | 'random-first' | 'rarest'

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
}

export class PiecePicker {
  private readonly opts: Required<PiecePickerOptions>
  private readonly have: Bitfield
  private readonly availability: Uint32Array
  private readonly partials = new Map<number, PartialPiece>()

  constructor (have: Bitfield, opts: PiecePickerOptions) {
    this.have = have
    this.opts = { randomFirstPieces: 4, random: Math.random, ...opts }
    this.availability = new Uint32Array(opts.pieceCount)
  }

  get partialCount (): number { return this.partials.size }

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

  /** Up to `max` unrequested blocks the peer can serve, marked as requested. */
  pickBlocks (peerHas: Bitfield, max: number): Pick[] {
    const picks: Pick[] = []
    for (const partial of this.partials.values()) {
      if (picks.length >= max) return picks
      if (peerHas.has(partial.piece)) this.takeBlocks(partial, max - picks.length, 'partial', picks)
    }
    while (picks.length < max && this.partials.size < this.opts.maxPartialPieces) {
      const random = this.have.size < this.opts.randomFirstPieces
      const piece = this.pickNewPiece(peerHas, random)
      if (piece === -1) break
      const partial = new PartialPiece(piece, this.opts.pieceLength(piece), this.opts.blockBytes)
      this.partials.set(piece, partial)
      this.takeBlocks(partial, max - picks.length, random ? 'random-first' : 'rarest', picks)
    }
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

  /** A request that will not be answered (peer gone, rejected, timed out) goes back. */
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
