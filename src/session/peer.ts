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
  choking = false
  interested = false
  remoteInterested = false
  readonly requests = new Map<string, OutstandingRequest>()
  /** The remote's requests waiting to be served, oldest first. */
  readonly inbound: BlockRange[] = []
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
      requests: this.requests.size
    }
  }
}
