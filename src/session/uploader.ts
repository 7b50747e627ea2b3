// Serves the blocks peers request, one peer's queue at a time, reading from storage only as
// fast as the connection drains: memory stays bounded by the request caps, not by demand.

import type { Bitfield } from '../bitfield.js'
import { BLOCK_BYTES, MAX_INBOUND_REQUESTS, MAX_INVALID_REQUESTS } from '../constants.js'
import type { Metadata } from '../metadata/metadata.js'
import type { PieceStorage } from '../storage/storage.js'
import type { BlockRange } from '../types.js'
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

  constructor (meta: Metadata, storage: PieceStorage, have: Bitfield, hooks: UploaderHooks) {
    this.meta = meta
    this.storage = storage
    this.have = have
    this.hooks = hooks
  }

  onRequest (peer: Peer, range: BlockRange): void {
    const invalid = this.validate(range)
    if (invalid !== null) {
      peer.wire.send('reject', range)
      if (++peer.invalidMessages > MAX_INVALID_REQUESTS) this.hooks.onMisbehaving(peer, invalid)
      return
    }
    if (peer.choking) {
      peer.wire.send('reject', range)
      return
    }
    if (peer.inbound.length >= MAX_INBOUND_REQUESTS) {
      this.hooks.onMisbehaving(peer, `more than ${MAX_INBOUND_REQUESTS} requests queued`)
      return
    }
    peer.inbound.push(range)
    void this.serve(peer)
  }

  onCancel (peer: Peer, range: BlockRange): void {
    const i = peer.inbound.findIndex((r) => r.piece === range.piece && r.offset === range.offset)
    if (i !== -1) peer.inbound.splice(i, 1)
  }

  /** The connection drained: carry on with the queue. */
  onDrain (peer: Peer): void {
    void this.serve(peer)
  }

  private async serve (peer: Peer): Promise<void> {
    if (peer.serving) return
    peer.serving = true
    try {
      while (peer.inbound.length > 0 && !peer.wire.closed && peer.wire.drained) {
        const range = peer.inbound.shift()!
        const data = await this.storage.read(range.piece, range.offset, range.length)
        if (peer.wire.closed) return
        peer.wire.send('block', { piece: range.piece, offset: range.offset, data })
        peer.upload.add(data.byteLength)
        this.uploaded += data.byteLength
        if (range.offset + range.length === this.meta.pieceLength(range.piece)) peer.piecesSent++
      }
    } catch (err) {
      this.hooks.onReadError(err)
    } finally {
      peer.serving = false
    }
  }

  private validate ({ piece, offset, length }: BlockRange): string | null {
    if (piece >= this.meta.pieceCount) return `request for piece ${piece} of ${this.meta.pieceCount}`
    if (!this.have.has(piece)) return `request for piece ${piece}, which we do not have`
    if (length > BLOCK_BYTES || offset + length > this.meta.pieceLength(piece)) return `request past the end of piece ${piece}`
    return null
  }
}
