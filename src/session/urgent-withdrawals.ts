// Streaming's withdrawals of requests already made, so a reader's pieces come soon and the
// seed's upload goes where it is needed (the swarm bench's stream mode measured both). The
// Downloader calls these at its events; the withdrawing itself (a cancel at the peer and the
// blocks back to the picker) stays the Downloader's.

import { BLOCK_BYTES } from '../constants.js'
import type { Metadata } from '../metadata/metadata.js'
import type { PiecePicker } from '../picker/piece-picker.js'
import type { BlockRange } from '../types.js'
import type { Peer } from './peer.js'

export interface WithdrawalContext {
  meta: Metadata
  picker: PiecePicker
  peers: () => Iterable<Peer>
  /** Cancels these requests at the peer; their blocks may be picked again (from anyone). */
  withdraw: (peer: Peer, requests: readonly BlockRange[]) => void
}

export class UrgentWithdrawals {
  /** A reader has set urgent pieces: the withdrawal for the first is done, once. */
  private readerCame = false

  constructor (private readonly ctx: WithdrawalContext) {}

  /** Whether a peer that is not a seed is connected (it may come to hold what we need). */
  hasDownloaders (): boolean {
    for (const peer of this.ctx.peers()) if (peer.has !== null && !isSeed(peer)) return true
    return false
  }

  /** The picker has a new urgent list. For the download's first, the requests made before
   *  it for pieces outside its window (random-first and rarest-first ones, up to a second of
   *  each peer's rate) are withdrawn: a peer serves our requests in the order sent, and the
   *  reader's pieces would wait behind them (a streamer's reader comes 30–70 ms after the
   *  metadata, and up to 30 requests had gone out by then). Once only: later lists follow
   *  reads, and what rarest-first asks for meanwhile is not in a reader's way. */
  onUrgentSet (): void {
    if (this.readerCame || this.ctx.picker.urgentPieces.length === 0) return
    this.readerCame = true
    for (const peer of this.ctx.peers()) {
      const outside = [...peer.requests.values()].filter((request) => !this.ctx.picker.isUrgent(request.piece))
      if (outside.length > 0) this.ctx.withdraw(peer, outside)
    }
  }

  /** `holder` announced `piece`. If it is urgent, the holder a downloader that serves us, and
   *  the piece asked of a seed (one holding every piece), the seed's request is withdrawn: the
   *  piece comes from the holder and the seed's upload, which every streamer draws on, goes to
   *  pieces nobody else has. Streamers at one position all ask the seed for what is urgent; a
   *  piece one of them asked for and already has is then traded instead of sent again. */
  onHave (holder: Peer, piece: number): void {
    if (holder.choked || isSeed(holder) || !this.ctx.picker.isUrgent(piece)) return
    const length = this.ctx.meta.pieceLength(piece)
    for (const peer of this.ctx.peers()) {
      if (peer === holder || !isSeed(peer) || peer.requests.size === 0) continue
      const asked: BlockRange[] = []
      for (let offset = 0; offset < length; offset += BLOCK_BYTES) {
        if (peer.requests.has(piece, offset)) asked.push({ piece, offset, length: Math.min(BLOCK_BYTES, length - offset) })
      }
      if (asked.length > 0) this.ctx.withdraw(peer, asked)
    }
  }
}

/** A peer holding every piece. */
function isSeed (peer: Peer): boolean {
  return peer.has !== null && peer.has.size === peer.has.length
}
