// Serves the blocks unchoked peers request, one peer's queue at a time, reading from storage
// only as fast as the connection drains and the node's upload limit allows: memory per peer
// stays bounded by the upload window and the read-ahead, not by demand.

import { setTimeout as sleep } from 'node:timers/promises'
import type { Bitfield } from '../bitfield.js'
import {
  BLOCK_BYTES, MAX_CHOKED_REQUESTS, MAX_INBOUND_REQUESTS, MAX_INVALID_REQUESTS, UPLOAD_READ_AHEAD, UPLOAD_READ_AHEAD_BYTES
} from '../constants.js'
import { sendWindowBytes } from '../request-window.js'
import type { Metadata } from '../metadata/metadata.js'
import type { PieceStorage } from '../storage/storage.js'
import type { TokenBucket } from '../token-bucket.js'
import type { BlockRange } from '../types.js'
import { type BlockBuffers, uploadBlockBuffers } from './block-buffers.js'
import type { Peer } from './peer.js'

export interface UploaderHooks {
  onMisbehaving: (peer: Peer, why: string) => void
  /** Reading a piece we hold failed (the shared file changed or vanished). */
  onReadError: (err: unknown) => void
}

export class Uploader {
  private readonly meta: Metadata
  private readonly storage: PieceStorage
  private readonly have: Bitfield
  private readonly hooks: UploaderHooks
  /** Payload bytes sent in this run. */
  uploaded = 0

  private readonly limit: TokenBucket
  private readonly buffers: BlockBuffers

  constructor (meta: Metadata, storage: PieceStorage, have: Bitfield, limit: TokenBucket, hooks: UploaderHooks,
    buffers: BlockBuffers = uploadBlockBuffers) {
    this.meta = meta
    this.storage = storage
    this.have = have
    this.limit = limit
    this.hooks = hooks
    this.buffers = buffers
  }

  /** Queues the request if it is valid and the peer unchoked; returns whether it did. */
  onRequest (peer: Peer, range: BlockRange): boolean {
    const invalid = this.validate(range)
    if (invalid !== null) {
      peer.wire.send('reject', range)
      if (++peer.invalidMessages > MAX_INVALID_REQUESTS) this.hooks.onMisbehaving(peer, invalid)
      return false
    }
    if (peer.choking) {
      rejectChoked(peer, range, this.hooks.onMisbehaving)
      return false
    }
    if (peer.inbound.length >= MAX_INBOUND_REQUESTS) {
      this.hooks.onMisbehaving(peer, `more than ${MAX_INBOUND_REQUESTS} requests queued`)
      return false
    }
    peer.inbound.push(range)
    this.serveSoon(peer)
    return true
  }

  /** A cancelled block is not sent, even one already read ahead or waiting for the upload
   *  limit: endgame cancels reach a rate-limited uploader while its few reads ahead wait
   *  their turn, and sending them anyway spent the swarm bench's capacity on copies
   *  nobody wanted (N = 16: 284 duplicate blocks, 17.7 MiB, half a second of the swarm's
   *  upload). */
  onCancel (peer: Peer, range: BlockRange): void {
    const same = (r: BlockRange): boolean => r.piece === range.piece && r.offset === range.offset
    const i = peer.inbound.findIndex(same)
    if (i !== -1) {
      peer.inbound.splice(i, 1)
      return
    }
    const read = peer.reading.find((r) => same(r.range)) ?? (peer.sending !== null && same(peer.sending.range) ? peer.sending : null)
    if (read !== null) read.cancelled = true
  }

  /** We choke the peer: like a BitTorrent choke, it drops what the peer had asked for. */
  onChoked (peer: Peer): void {
    peer.inbound.length = 0
    peer.reading.length = 0
    peer.chokedRequests = 0
  }

  onUnchoked (peer: Peer): void {
    peer.servedBefore = true
    peer.chokedRequests = 0
    void this.serve(peer)
  }

  /** The connection drained: carry on with the queue. */
  onDrain (peer: Peer): void {
    peer.unflushed = 0
    void this.serve(peer)
  }

  /** Starts serving once the current input is handled: requests arrive in batches that
   *  protomux answers in one batch while it handles them, and a block must never ride in
   *  one (the frame would grow past MAX_FRAME_BYTES on the receiver). */
  private serveSoon (peer: Peer): void {
    if (peer.serving || peer.serveQueued) return
    peer.serveQueued = true
    setImmediate(() => {
      peer.serveQueued = false
      void this.serve(peer)
    })
  }

  /** Sends queued blocks in request order while the peer's window has room, keeping a few
   *  storage reads ahead of the sends. */
  private async serve (peer: Peer): Promise<void> {
    if (peer.serving) return
    peer.serving = true
    try {
      while (this.canSend(peer) && peer.unflushed < sendWindowBytes({ rate: peer.upload.rate, rttMs: peer.rttMs, ageMs: Date.now() - peer.openedAt })) {
        this.readAhead(peer)
        const next = peer.reading.shift()
        if (next === undefined) return
        peer.sending = next
        const data = await next.data
        // Other peers' sends share the limit: wait until this block's turn comes.
        for (let wait = this.limit.delayFor(data.byteLength); wait > 0 && this.canSend(peer) && next.cancelled !== true; wait = this.limit.delayFor(data.byteLength)) {
          await sleep(wait, undefined, { ref: false })
        }
        if (!this.canSend(peer)) return
        if (next.cancelled !== true) {
          this.limit.take(data.byteLength)
          this.send(peer, next.range, data)
        }
        // The block was copied into its frame (or is not sent): its buffer may take the next read.
        this.buffers.give(next.buffer)
      }
    } catch (err) {
      this.hooks.onReadError(err)
    } finally {
      peer.sending = null
      peer.serving = false
    }
  }

  private canSend (peer: Peer): boolean {
    return !peer.wire.closed && !peer.choking
  }

  private readAhead (peer: Peer): void {
    let bytes = 0
    for (const read of peer.reading) bytes += read.range.length
    while (peer.reading.length < UPLOAD_READ_AHEAD && peer.inbound.length > 0 &&
      (peer.reading.length === 0 || bytes + peer.inbound[0]!.length <= UPLOAD_READ_AHEAD_BYTES)) {
      const range = peer.inbound.shift()!
      bytes += range.length
      const buffer = this.buffers.take(range.length)
      const data = this.storage.read(range.piece, range.offset, range.length, buffer)
      data.catch(() => {}) // reported when its turn comes, or dropped with the peer
      peer.reading.push({ range, data, buffer })
    }
  }

  private send (peer: Peer, range: BlockRange, data: Buffer): void {
    const flushed = peer.wire.send('block', { piece: range.piece, offset: range.offset, data })
    // A write accepted below the high-water mark means the buffer is nearly empty.
    peer.unflushed = flushed ? 0 : peer.unflushed + data.byteLength
    peer.upload.add(data.byteLength)
    this.uploaded += data.byteLength
    if (range.offset + range.length === this.meta.pieceLength(range.piece)) peer.piecesSent++
  }

  private validate ({ piece, offset, length }: BlockRange): string | null {
    if (piece >= this.meta.pieceCount) return `request for piece ${piece} of ${this.meta.pieceCount}`
    if (!this.have.has(piece)) return `request for piece ${piece}, which we do not have`
    if (length > BLOCK_BYTES || offset + length > this.meta.pieceLength(piece)) return `request past the end of piece ${piece}`
    return null
  }
}

/** A request from a peer we choke is refused. One we served may have had a full queue in
 *  flight when our choke crossed it; beyond that, or from a peer we never unchoked, more
 *  than MAX_CHOKED_REQUESTS end the connection (libtorrent's max_rejects). */
export function rejectChoked (peer: Peer, range: BlockRange, onMisbehaving: (peer: Peer, why: string) => void): void {
  peer.wire.send('reject', range)
  const allowed = MAX_CHOKED_REQUESTS + (peer.servedBefore ? MAX_INBOUND_REQUESTS : 0)
  if (++peer.chokedRequests > allowed) onMisbehaving(peer, `sent ${peer.chokedRequests} requests while choked`)
}
