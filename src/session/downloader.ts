// Fetches the pieces a session lacks: keeps requests in flight with every peer that
// unchokes us, assembles blocks into whole pieces, verifies each against its hash and writes
// it. Policy (which block next) is the PiecePicker's; this file only carries it out.

import { Bitfield } from '../bitfield.js'
import { BLOCK_BYTES, MAX_INVALID_REQUESTS, MAX_PARTIAL_BYTES, MAX_REQUESTS_PER_PEER, MIN_PARTIAL_PIECES, REQUEST_TIMEOUT_MS } from '../constants.js'
import type { Metadata } from '../metadata/metadata.js'
import { PiecePicker } from '../picker/piece-picker.js'
import type { PieceStorage } from '../storage/storage.js'
import type { BlockRange } from '../types.js'
import type { Block } from '../wire/messages.js'
import { type Peer, requestKey } from './peer.js'

export interface DownloaderHooks {
  peers: () => Iterable<Peer>
  onPieceVerified: (piece: number, from: string | null) => void
  onPieceFailed: (piece: number, from: string[]) => void
  /** A peer broke the protocol (sent what nobody asked for, or the wrong length). */
  onMisbehaving: (peer: Peer, why: string) => void
  /** The piece could not be stored: the session cannot go on. */
  onStorageError: (err: unknown) => void
}

interface PieceBuffer {
  bytes: Buffer
  contributors: Set<string>
}

export class Downloader {
  readonly have: Bitfield
  private readonly meta: Metadata
  private readonly storage: PieceStorage
  private readonly hooks: DownloaderHooks
  private readonly picker: PiecePicker
  private readonly buffers = new Map<number, PieceBuffer>()
  hashFailures = 0
  /** Payload bytes received in this run. */
  downloaded = 0

  constructor (meta: Metadata, storage: PieceStorage, have: Bitfield, hooks: DownloaderHooks) {
    this.meta = meta
    this.storage = storage
    this.have = have
    this.hooks = hooks
    this.picker = new PiecePicker(have, {
      pieceCount: meta.pieceCount,
      pieceLength: (piece) => meta.pieceLength(piece),
      blockBytes: BLOCK_BYTES,
      maxPartialPieces: Math.max(MIN_PARTIAL_PIECES, Math.floor(MAX_PARTIAL_BYTES / meta.pieceSize))
    })
  }

  get complete (): boolean { return this.have.complete }

  /** The peer's bitfield is known: count its pieces and start asking. */
  onPeerReady (peer: Peer): void {
    this.picker.addAvailability(peer.has!)
    this.updateInterest(peer)
    this.fill(peer)
  }

  onHave (peer: Peer, piece: number): void {
    this.picker.onHave(piece)
    if (!peer.interested && !this.have.has(piece)) this.updateInterest(peer)
    this.fill(peer)
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
      if (!requested && ++peer.invalidMessages > MAX_INVALID_REQUESTS) this.hooks.onMisbehaving(peer, 'sent blocks nobody asked for')
      this.fill(peer)
      return
    }
    const expected = Math.min(BLOCK_BYTES, this.meta.pieceLength(block.piece) - block.offset)
    if (block.data.byteLength !== expected) {
      this.hooks.onMisbehaving(peer, `block of ${block.data.byteLength} bytes where ${expected} were due`)
      return
    }
    this.store(peer, block)
    this.fill(peer)
  }

  /** Re-assigns requests a peer has left unanswered for too long. */
  expireRequests (now: number): void {
    let expired = false
    for (const peer of this.hooks.peers()) {
      for (const [key, request] of peer.requests) {
        if (now - request.sentAt < REQUEST_TIMEOUT_MS) continue
        peer.requests.delete(key)
        peer.wire.send('cancel', { piece: request.piece, offset: request.offset, length: request.length })
        this.picker.releaseRequest(request.piece, request.offset)
        expired = true
      }
    }
    if (expired) this.fillAll()
  }

  fillAll (): void {
    for (const peer of this.hooks.peers()) this.fill(peer)
  }

  private fill (peer: Peer): void {
    if (peer.choked || peer.has === null || this.complete) return
    const room = MAX_REQUESTS_PER_PEER - peer.requests.size
    if (room <= 0) return
    const picks = this.picker.pickBlocks(peer.has, room)
    if (picks.length === 0) return
    const sentAt = Date.now()
    for (const { piece, offset, length } of picks) {
      peer.requests.set(requestKey(piece, offset), { piece, offset, length, sentAt })
      peer.wire.send('request', { piece, offset, length })
    }
  }

  private store (peer: Peer, block: Block): void {
    let buffer = this.buffers.get(block.piece)
    if (buffer === undefined) {
      buffer = { bytes: Buffer.allocUnsafe(this.meta.pieceLength(block.piece)), contributors: new Set() }
      this.buffers.set(block.piece, buffer)
    }
    block.data.copy(buffer.bytes, block.offset)
    buffer.contributors.add(peer.id)
    peer.download.add(block.data.byteLength)
    this.downloaded += block.data.byteLength
    if (this.picker.onBlockReceived(block.piece, block.offset)) this.finishPiece(block.piece, buffer)
  }

  private finishPiece (piece: number, buffer: PieceBuffer): void {
    this.buffers.delete(piece)
    const from = [...buffer.contributors]
    if (!this.meta.verifyPiece(piece, buffer.bytes)) {
      this.hashFailures++
      this.picker.onPieceFailed(piece)
      this.hooks.onPieceFailed(piece, from)
      this.fillAll()
      return
    }
    this.storage.writePiece(piece, buffer.bytes).then(() => {
      this.picker.onPieceVerified(piece)
      if (!this.have.set(piece)) return
      for (const id of from) this.creditPiece(id)
      this.hooks.onPieceVerified(piece, from.length === 1 ? from[0]! : null)
      if (this.complete) this.loseInterest()
    }, (err) => this.hooks.onStorageError(err))
  }

  private creditPiece (id: string): void {
    for (const peer of this.hooks.peers()) if (peer.id === id) peer.piecesReceived++
  }

  private updateInterest (peer: Peer): void {
    const wants = peer.has !== null && hasPieceWeLack(peer.has, this.have)
    if (wants === peer.interested) return
    peer.interested = wants
    peer.wire.send(wants ? 'interested' : 'not-interested', null)
  }

  private loseInterest (): void {
    for (const peer of this.hooks.peers()) this.updateInterest(peer)
  }

  private forget (peer: Peer, range: { piece: number, offset: number }): boolean {
    return peer.requests.delete(requestKey(range.piece, range.offset))
  }

  private releaseAll (peer: Peer): void {
    for (const request of peer.requests.values()) this.picker.releaseRequest(request.piece, request.offset)
    const released = peer.requests.size > 0
    peer.requests.clear()
    if (released) this.fillAll()
  }
}

function hasPieceWeLack (theirs: Bitfield, ours: Bitfield): boolean {
  if (theirs.size === 0) return false
  for (const piece of theirs.indices()) if (!ours.has(piece)) return true
  return false
}
