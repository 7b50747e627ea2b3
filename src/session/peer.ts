// What one session knows about one remote peer: its pieces, the choke/interest states,
// our requests outstanding with it, and the byte counts shown to the user.

import { Bitfield } from '../bitfield.js'
import { RateMeter } from '../rate.js'
import type { BlockRange } from '../types.js'
import type { WireChannel } from '../wire/channel.js'
import type { PeerStats } from './events.js'

export interface OutstandingRequest extends BlockRange {
  sentAt: number
}

export interface PendingRead {
  range: BlockRange
  data: Promise<Buffer>
}

export const requestKey = (piece: number, offset: number): string => `${piece}:${offset}`

export class Peer {
  readonly id: string
  readonly wire: WireChannel
  /** Null until we know the piece count; a bitfield that came earlier waits in `pendingBitfield`. */
  has: Bitfield | null = null
  pendingBitfield: Buffer | null = null
  pendingHaves: number[] = []
  /** The remote chokes us until it says otherwise (BitTorrent's initial state). */
  choked = true
  /** We choke it until the choker gives it a slot. */
  choking = true
  interested = false
  remoteInterested = false
  /** It held every piece when we first learnt its pieces (an original seeder, not a
   *  downloader that finished while we watched). */
  seed = false
  /** Pieces it has that we lack: we are interested while this is above zero. */
  wanted = 0
  readonly requests = new Map<string, OutstandingRequest>()
  /** The remote's requests waiting to be served, oldest first. */
  readonly inbound: BlockRange[] = []
  /** Requests being read from storage, in the order they will be sent. */
  readonly reading: PendingRead[] = []
  /** Bytes sent since the connection last drained. */
  unflushed = 0
  serving = false
  readonly download = new RateMeter()
  readonly upload = new RateMeter()
  piecesReceived = 0
  piecesSent = 0
  invalidMessages = 0
  hashFailures = 0

  constructor (id: string, wire: WireChannel) {
    this.id = id
    this.wire = wire
  }

  /** Applies the piece count once known, consuming any bitfield and haves sent earlier. */
  learnPieceCount (pieceCount: number): void {
    if (this.has !== null) return
    this.has = this.pendingBitfield === null
      ? new Bitfield(pieceCount)
      : Bitfield.fromBytes(pieceCount, this.pendingBitfield)
    for (const piece of this.pendingHaves) if (piece < pieceCount) this.has.set(piece)
    this.pendingBitfield = null
    this.pendingHaves = []
    this.seed = this.has.complete
  }

  stats (): PeerStats {
    return {
      id: this.id,
      downloaded: this.download.total,
      uploaded: this.upload.total,
      downloadRate: this.download.rate,
      uploadRate: this.upload.rate,
      piecesReceived: this.piecesReceived,
      piecesSent: this.piecesSent,
      choked: this.choked,
      choking: this.choking,
      interested: this.interested,
      remoteInterested: this.remoteInterested,
      have: this.has?.size ?? 0,
      seed: this.seed,
      requests: this.requests.size
    }
  }
}
