// What one session knows about one remote peer: its pieces, the choke/interest states,
// our requests outstanding with it, and the byte counts shown to the user.

import { Bitfield } from '../bitfield.js'
import { RateMeter } from '../rate.js'
import type { BlockRange } from '../types.js'
import type { WireChannel } from '../wire/channel.js'
import type { ConnectionRoute, PeerStats } from './events.js'
import { OutstandingRequests } from './outstanding-requests.js'

export interface PendingRead {
  range: BlockRange
  data: Promise<Buffer>
  /** The pooled buffer the read fills, given back once the block is sent. */
  buffer: Buffer
  /** The remote cancelled it after it was read ahead: it is not sent. */
  cancelled?: boolean
}

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
  readonly requests = new OutstandingRequests()
  /** The remote's requests waiting to be served, oldest first. */
  readonly inbound: BlockRange[] = []
  /** Requests being read from storage, in the order they will be sent. */
  readonly reading: PendingRead[] = []
  /** The block the uploader is about to send (read, or waiting for the upload limit). */
  sending: PendingRead | null = null
  /** When it last asked us for a block while unchoked, or when we unchoked it (the
   *  choking clock, ms): a slot holder that asks for nothing is idle (session/choking.ts). */
  askedAt = 0
  /** Bytes sent since the connection last drained. */
  unflushed = 0
  serving = false
  /** A serve of its queue is about to start (see Uploader.serveSoon). */
  serveQueued = false
  readonly download = new RateMeter()
  /** When the channel opened (ms since the epoch). */
  readonly openedAt = Date.now()
  readonly upload = new RateMeter()
  piecesReceived = 0
  piecesSent = 0
  invalidMessages = 0
  /** Requests we cancelled whose blocks may still be on the way (not counted as noise when
   *  they come), at most MAX_REQUESTS_PER_PEER. */
  cancelledInFlight = 0
  /** Set once the session has dropped it: whatever it still sends is ignored. */
  dropped = false
  /** One of our requests to it timed out: it gets one at a time until a block comes. */
  snubbed = false
  /** Requests it sent while we choked it, since the last choke or unchoke. */
  chokedRequests = 0
  /** We have unchoked it at some point (so requests may cross our choke). */
  servedBefore = false
  /** Metadata chunks it asked us for. */
  metadataRequests = 0

  /** HANDSHAKE_FLAGS the remote sent: whether it is reachable, whether it relays. */
  readonly flags: number
  private readonly routeOf: (peer: Peer) => ConnectionRoute

  constructor (id: string, wire: WireChannel, flags = 0, routeOf: (peer: Peer) => ConnectionRoute = () => 'direct') {
    this.id = id
    this.wire = wire
    this.flags = flags
    this.routeOf = routeOf
  }

  /** The remote's public key (its id, as bytes). */
  get key (): Buffer { return this.wire.stream.remotePublicKey }

  /** How the connection reaches the peer: direct, hole-punched or through a relay. */
  get route (): ConnectionRoute { return this.routeOf(this) }

  /** Smoothed round-trip time of the connection in ms, as its transport measures it
   *  (0 when unknown, e.g. an in-memory stream). */
  get rttMs (): number { return this.wire.stream.rawStream?.rtt ?? 0 }

  /** Requests of its that we hold: queued, being read or about to be sent. */
  get awaitingService (): boolean {
    return this.inbound.length > 0 || this.reading.length > 0 || this.sending !== null
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
      requests: this.requests.size,
      inflight: this.requests.bytes,
      rtt: this.rttMs,
      connection: this.route
    }
  }
}
