// Fetches the pieces a session lacks: keeps requests in flight with every peer that
// unchokes us (as many as its measured rate needs, within the node's download limit),
// and hands what arrives to the PieceIntake, which verifies and writes whole pieces. Policy
// (which block next, endgame duplicates) is the PiecePicker's; this file carries it out.

import type { Bitfield } from '../bitfield.js'
import {
  BLOCK_BYTES, MAX_INVALID_REQUESTS, MAX_PARTIAL_BYTES, MAX_REQUESTS_PER_PEER, MIN_PARTIAL_PIECES, REQUEST_QUEUE_MS,
  STREAM_REQUEST_QUEUE_MS, STREAM_URGENT_EXTRA_BYTES, STREAM_URGENT_MIN_EXTRA_PIECES
} from '../constants.js'
import type { Metadata } from '../metadata/metadata.js'
import { PiecePicker } from '../picker/piece-picker.js'
import { requestWindowBytes } from '../request-window.js'
import type { PieceStorage } from '../storage/storage.js'
import type { TokenBucket } from '../token-bucket.js'
import type { BlockRange } from '../types.js'
import type { Block } from '../wire/messages.js'
import type { Peer } from './peer.js'
import { PieceIntake } from './piece-intake.js'
import { UrgentWithdrawals } from './urgent-withdrawals.js'

export interface DownloaderHooks {
  peers: () => Iterable<Peer>
  onPieceVerified: (piece: number, from: string | null) => void
  /** A piece failed its hash: `from` sent its blocks, `blamed` are known to have lied (the
   *  only sender); the others wait for smart-ban. */
  onPieceFailed: (piece: number, from: string[], blamed: string[]) => void
  /** A piece that failed before has verified: these peers had sent blocks of it that differ. */
  onLiarsFound: (piece: number, liars: string[]) => void
  /** A peer broke the protocol (sent what nobody asked for, or the wrong length). */
  onMisbehaving: (peer: Peer, why: string) => void
  /** The piece could not be stored: the session cannot go on. */
  onStorageError: (err: unknown) => void
  /** The disk refused a piece (full, I/O error, permissions): nothing more is requested
   *  until it takes the pieces waiting (retried every WRITE_RETRY_MS). */
  onWriteStalled: (err: unknown) => void
}

export class Downloader {
  readonly have: Bitfield
  private readonly meta: Metadata
  private readonly storage: PieceStorage
  private readonly hooks: DownloaderHooks
  private readonly picker: PiecePicker
  private readonly intake: PieceIntake
  private readonly limit: TokenBucket
  /** A request unanswered this long goes to another peer (REQUEST_TIMEOUT_MS). */
  private readonly requestTimeoutMs: number
  /** Set while the download limit holds requests back: fills again when it has room. */
  private limitTimer: NodeJS.Timeout | null = null
  private stopped = false
  private readonly withdrawals: UrgentWithdrawals
  /** Payload bytes received in this run. */
  downloaded = 0

  constructor (meta: Metadata, storage: PieceStorage, have: Bitfield, limit: TokenBucket, requestTimeoutMs: number, hooks: DownloaderHooks, priorities: Uint8Array | null = null) {
    this.meta = meta
    this.requestTimeoutMs = requestTimeoutMs
    this.storage = storage
    this.have = have
    this.limit = limit
    this.hooks = hooks
    this.picker = new PiecePicker(have, {
      pieceCount: meta.pieceCount,
      pieceLength: (piece) => meta.pieceLength(piece),
      blockBytes: BLOCK_BYTES,
      maxPartialPieces: Math.max(MIN_PARTIAL_PIECES, Math.floor(MAX_PARTIAL_BYTES / meta.pieceSize)),
      urgentExtraPieces: Math.max(STREAM_URGENT_MIN_EXTRA_PIECES, Math.floor(STREAM_URGENT_EXTRA_BYTES / meta.pieceSize)),
      priorities
    })
    this.withdrawals = new UrgentWithdrawals({
      meta,
      picker: this.picker,
      peers: () => this.hooks.peers(),
      withdraw: (peer, requests) => this.withdraw(peer, requests)
    })
    this.intake = new PieceIntake(meta, storage, BLOCK_BYTES, {
      onStored: (piece, from) => this.onStored(piece, from),
      onFailed: (piece, from, blamed) => this.onPieceFailed(piece, from, blamed),
      onLiarsFound: (piece, liars) => this.hooks.onLiarsFound(piece, liars),
      onWriteStalled: (err) => this.onWriteStalled(err),
      onStallCleared: () => this.fillAll(),
      onStorageError: (err) => this.hooks.onStorageError(err)
    })
  }

  /** Whether the disk refused pieces that still wait in memory (nothing is requested). */
  get stalled (): boolean { return this.intake.stalled }

  /** Pieces that failed their hash in this run, and their bytes (received, but no progress). */
  get hashFailures (): number { return this.intake.hashFailures }
  get wasted (): number { return this.intake.wasted }

  /** Every selected piece is held (every piece, without a selection). */
  get complete (): boolean { return this.picker.lacking === 0 }

  /** Pieces the selection asks for, and those of them not yet held. */
  get selectedPieces (): number { return this.picker.selectedCount }
  get missingPieces (): number { return this.picker.lacking }

  /** A piece the selection asks for that we do not hold yet. */
  wants (piece: number): boolean {
    return !this.have.has(piece) && this.picker.isSelected(piece)
  }

  /** Pieces in flight: started, not yet verified. */
  partialPieces (): number[] { return this.picker.partialPieces() }

  /** Whether every missing block is requested and duplicates may go to other peers. */
  get inEndgame (): boolean { return this.picker.inEndgame }

  /** The peer's bitfield is known: count its pieces and start asking. */
  onPeerReady (peer: Peer): void {
    this.picker.addAvailability(peer.has!)
    peer.wanted = 0
    for (const piece of peer.has!.indices()) if (this.wants(piece)) peer.wanted++
    this.updateInterest(peer)
    this.fill(peer)
  }

  onHave (peer: Peer, piece: number): void {
    this.picker.onHave(piece)
    if (this.wants(piece) && ++peer.wanted === 1) this.updateInterest(peer)
    this.withdrawals.onHave(peer, piece)
    this.fill(peer)
  }

  /** Cancels these requests at the peer; their blocks may be picked again (from anyone). A
   *  block already on its way is still taken when it comes (isWanted). */
  private withdraw (peer: Peer, requests: readonly BlockRange[]): void {
    peer.wire.batch(() => {
      for (const request of requests) {
        this.cancel(peer, request)
        this.picker.releaseRequest(request.piece, request.offset)
      }
    })
  }

  /** The session is closing: no more requests, no pending timer. */
  stop (): void {
    this.stopped = true
    this.intake.stop()
    if (this.limitTimer !== null) clearTimeout(this.limitTimer)
    this.limitTimer = null
  }

  onPeerGone (peer: Peer): void {
    if (peer.has !== null) this.picker.addAvailability(peer.has, -1)
    this.releaseAll(peer)
  }

  onChoke (peer: Peer): void {
    peer.choked = true
    this.releaseAll(peer) // a choke discards the remote's queue of our requests
  }

  onUnchoke (peer: Peer): void {
    peer.choked = false
    this.fill(peer)
  }

  onReject (peer: Peer, range: BlockRange): void {
    if (!this.forget(peer, range)) return
    this.picker.releaseRequest(range.piece, range.offset)
    this.fillAll()
  }

  onBlock (peer: Peer, block: Block): void {
    const requested = this.forget(peer, block)
    if (!this.picker.isWanted(block.piece, block.offset)) {
      // A block we cancelled or re-assigned may still arrive; anything else is noise.
      if (!requested && !this.wasCancelled(peer) && ++peer.invalidMessages > MAX_INVALID_REQUESTS) this.hooks.onMisbehaving(peer, 'sent blocks nobody asked for')
      this.fill(peer)
      return
    }
    const expected = Math.min(BLOCK_BYTES, this.meta.pieceLength(block.piece) - block.offset)
    if (block.data.byteLength !== expected) {
      this.hooks.onMisbehaving(peer, `block of ${block.data.byteLength} bytes where ${expected} were due`)
      return
    }
    peer.snubbed = false
    this.store(peer, block)
    this.cancelDuplicates(peer, block)
    this.fill(peer)
  }

  /** Re-assigns requests a peer has left unanswered for too long. The peer is snubbed: one
   *  request at a time until a block comes (libtorrent), so a silent or trickling peer holds
   *  one block, not a window of them. */
  expireRequests (now: number): void {
    let expired = false
    for (const peer of this.hooks.peers()) {
      for (const request of peer.requests.values()) {
        if (now - request.sentAt < this.requestTimeoutMs) continue
        this.cancel(peer, request)
        this.picker.releaseRequest(request.piece, request.offset)
        peer.snubbed = true
        expired = true
      }
    }
    if (expired) this.fillAll()
  }

  fillAll (): void {
    for (const peer of this.hooks.peers()) this.fill(peer)
  }

  /** Every piece's priority anew (selection/file-selection.ts piecePriorities), taken at the
   *  next pick: a file streamed goes first. Returns whether the selection changed. */
  setPriorities (priorities: Uint8Array): boolean {
    const changed = this.picker.setPriorities(priorities)
    this.fillAll()
    return changed
  }

  /** Streaming: the pieces readers reach next, most urgent first (PiecePicker.setUrgent: the
   *  first `inOrder` in that order, then the rest of the first `imminent`, then the others,
   *  both rarest first); asked for at once. */
  setUrgent (pieces: readonly number[], imminent?: number, inOrder?: number): void {
    // Random ties among the imminent pieces spread streamers at one position over different
    // pieces of the seed's; with no other downloader connected there is nobody to spread
    // with, and deadline order is the quickest start from one source (the swarm bench's
    // stream mode, N = 1: 1.47 s to the first 4 MiB in random order, 1.05 s in order).
    const alone = !this.withdrawals.hasDownloaders()
    this.picker.setUrgent(pieces, imminent, alone ? imminent : inOrder)
    this.withdrawals.onUrgentSet()
    this.fillAll()
  }

  /** A seek left these pieces behind: those no block has arrived for are dropped and their
   *  requests cancelled; the others finish (their bytes are here already). Returns the dropped. */
  abandon (pieces: Iterable<number>): number[] {
    const dropped: number[] = []
    for (const piece of pieces) {
      if (!this.picker.abandon(piece)) continue
      this.intake.drop(piece)
      dropped.push(piece)
    }
    if (dropped.length === 0) return dropped
    const stale = new Set(dropped)
    for (const peer of this.hooks.peers()) {
      const cancelled = [...peer.requests.values()].filter((request) => stale.has(request.piece))
      if (cancelled.length > 0) peer.wire.batch(() => { for (const request of cancelled) this.cancel(peer, request) })
    }
    this.fillAll()
    return dropped
  }

  /** The urgent pieces last set, most urgent first. */
  get urgentPieces (): readonly number[] { return this.picker.urgentPieces }

  private fill (peer: Peer): void {
    if (peer.choked || peer.has === null || this.complete || this.stopped || peer.wanted === 0 || this.stalled) return
    const room = this.affordable(this.requestRoom(peer))
    if (room <= 0) return
    const picks = this.picker.pickBlocks(peer.has, room, (piece, offset) => peer.requests.has(piece, offset), peer.id)
    // The limit was charged a full block per pick; settle the difference.
    if (!this.limit.unlimited) this.limit.take(picks.reduce((sum, p) => sum + p.length, 0) - room * this.typicalBlock)
    if (picks.length === 0) return
    const sentAt = Date.now()
    peer.wire.batch(() => {
      for (const { piece, offset, length } of picks) {
        peer.requests.add({ piece, offset, length, sentAt })
        peer.wire.send('request', { piece, offset, length })
      }
    })
  }

  /** How many of `wanted` requests the download limit lets go now (charged a block each);
   *  when it lets fewer go, every peer is filled again once it has room. */
  private affordable (wanted: number): number {
    if (wanted <= 0 || this.limit.unlimited) return wanted
    let room = 0
    while (room < wanted && this.limit.tryTake(this.typicalBlock)) room++
    if (room < wanted && this.limitTimer === null) {
      this.limitTimer = setTimeout(() => {
        this.limitTimer = null
        this.fillAll()
      }, Math.max(1, this.limit.delayFor(this.typicalBlock)))
    }
    return room
  }

  /** How many more requests fit this peer's window: its bytes in flight against its
   *  bandwidth–delay window (with a shallow queue while a reader waits on imminent pieces), in
   *  blocks of this share (a block is one piece when pieces are smaller), and never past
   *  MAX_REQUESTS_PER_PEER. */
  private requestRoom (peer: Peer): number {
    if (peer.snubbed) return 1 - peer.requests.size
    const queueMs = this.picker.awaitingImminent ? STREAM_REQUEST_QUEUE_MS : REQUEST_QUEUE_MS
    const window = requestWindowBytes({ rate: peer.download.rate, rttMs: peer.rttMs, ageMs: Date.now() - peer.openedAt, queueMs })
    const bytes = window - peer.requests.bytes
    if (bytes <= 0) return 0
    return Math.min(MAX_REQUESTS_PER_PEER - peer.requests.size, Math.ceil(bytes / this.typicalBlock))
  }

  private get typicalBlock (): number { return Math.min(BLOCK_BYTES, this.meta.pieceSize) }

  /** An endgame block arrived: the same request at other peers is withdrawn. */
  private cancelDuplicates (from: Peer, block: Block): void {
    for (const peer of this.hooks.peers()) {
      if (peer === from || !peer.requests.has(block.piece, block.offset)) continue
      this.cancel(peer, { piece: block.piece, offset: block.offset, length: block.data.byteLength })
    }
  }

  /** Withdraws one request from `peer`; its block may still come and is then no noise. */
  private cancel (peer: Peer, request: BlockRange): void {
    peer.requests.delete(request.piece, request.offset)
    peer.wire.send('cancel', { piece: request.piece, offset: request.offset, length: request.length })
    peer.cancelledInFlight = Math.min(MAX_REQUESTS_PER_PEER, peer.cancelledInFlight + 1)
  }

  private wasCancelled (peer: Peer): boolean {
    if (peer.cancelledInFlight === 0) return false
    peer.cancelledInFlight--
    return true
  }

  private store (peer: Peer, block: Block): void {
    this.intake.add(block.piece, block.offset, block.data, peer.id)
    peer.download.add(block.data.byteLength)
    this.downloaded += block.data.byteLength
    if (this.picker.onBlockReceived(block.piece, block.offset)) this.intake.finish(block.piece)
  }

  /** Discarded: never written, never announced; fetched again, from one peer. */
  private onPieceFailed (piece: number, from: string[], blamed: string[]): void {
    this.picker.onPieceFailed(piece, from)
    this.hooks.onPieceFailed(piece, from, blamed)
    this.fillAll()
  }

  private onStored (piece: number, from: string[]): void {
    this.picker.onPieceVerified(piece)
    if (!this.have.set(piece)) return
    this.onPieceHeld(piece, from)
    this.hooks.onPieceVerified(piece, from.length === 1 ? from[0]! : null)
  }

  /** The disk refused a piece: every request is withdrawn at once, and the session says why. */
  private onWriteStalled (err: unknown): void {
    for (const peer of this.hooks.peers()) this.withdrawAll(peer)
    this.hooks.onWriteStalled(err)
  }

  /** Credits the piece's senders and drops interest in peers that have nothing more for us. */
  private onPieceHeld (piece: number, from: string[]): void {
    for (const peer of this.hooks.peers()) {
      if (from.includes(peer.id)) peer.piecesReceived++
      if (peer.has?.has(piece) === true && this.picker.isSelected(piece) && --peer.wanted === 0) this.updateInterest(peer)
    }
  }

  private updateInterest (peer: Peer): void {
    const wants = peer.wanted > 0
    if (wants === peer.interested) return
    peer.interested = wants
    peer.wire.send(wants ? 'interested' : 'not-interested', null)
  }

  private forget (peer: Peer, range: { piece: number, offset: number }): boolean {
    return peer.requests.delete(range.piece, range.offset)
  }

  /** Cancels every request outstanding with `peer` (blocks already on the way still count). */
  private withdrawAll (peer: Peer): void {
    peer.wire.batch(() => {
      for (const request of [...peer.requests.values()]) {
        this.cancel(peer, request)
        this.picker.releaseRequest(request.piece, request.offset)
      }
    })
  }

  private releaseAll (peer: Peer): void {
    for (const request of peer.requests.values()) this.picker.releaseRequest(request.piece, request.offset)
    const released = peer.requests.size > 0
    peer.requests.clear()
    if (released) this.fillAll()
  }
}
