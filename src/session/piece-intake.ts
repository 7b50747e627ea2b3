// Where received blocks become held pieces: each piece is assembled from its blocks, checked
// against its hash (smart-ban keeps what a failed piece's senders sent), and written; a write
// the disk refuses waits in memory (StalledWrites) and is tried again. Which blocks to ask
// for, and from whom, is the Downloader's: this file only takes what arrives.

import type { Metadata } from '../metadata/metadata.js'
import { isWriteStall } from '../storage/fs-errors.js'
import type { PieceData, PieceStorage } from '../storage/storage.js'
import { PieceBuffer } from './piece-buffer.js'
import { SmartBan } from './smart-ban.js'
import { StalledWrites } from './stalled-writes.js'

export interface PieceIntakeHooks {
  /** The piece matched its hash and is on disk; `from` sent its blocks. */
  onStored: (piece: number, from: string[]) => void
  /** The piece failed its hash and was thrown away: `from` sent its blocks, `blamed` are
   *  known to have lied (the only sender); the others wait for smart-ban. */
  onFailed: (piece: number, from: string[], blamed: string[]) => void
  /** A piece that failed before has verified: these peers had sent blocks of it that differ. */
  onLiarsFound: (piece: number, liars: string[]) => void
  /** The disk refused a first piece (full, I/O error, permissions): it waits in memory. */
  onWriteStalled: (err: unknown) => void
  /** Every piece the disk had refused is written at last. */
  onStallCleared: () => void
  /** Anything else went wrong in storage: the session cannot go on. */
  onStorageError: (err: unknown) => void
}

export class PieceIntake {
  private readonly meta: Metadata
  private readonly storage: PieceStorage
  private readonly blockBytes: number
  private readonly hooks: PieceIntakeHooks
  private readonly buffers = new Map<number, PieceBuffer>()
  private readonly smartBan = new SmartBan()
  private readonly stalledWrites: StalledWrites
  private stopped = false
  /** Pieces that failed their hash in this run. */
  hashFailures = 0
  /** Bytes of those pieces: received, but no progress. */
  wasted = 0

  constructor (meta: Metadata, storage: PieceStorage, blockBytes: number, hooks: PieceIntakeHooks) {
    this.meta = meta
    this.storage = storage
    this.blockBytes = blockBytes
    this.hooks = hooks
    this.stalledWrites = new StalledWrites({
      write: async (piece, data) => await this.storage.writePiece(piece, data),
      onWritten: ({ piece, from }) => this.hooks.onStored(piece, from),
      onCleared: () => this.hooks.onStallCleared(),
      onFatal: (err) => this.hooks.onStorageError(err),
      isStall: isWriteStall
    })
  }

  /** Whether the disk refused pieces that still wait in memory. */
  get stalled (): boolean { return this.stalledWrites.stalled }

  /** Keeps one block (its length already checked) of a piece being assembled. */
  add (piece: number, offset: number, data: Uint8Array, from: string): void {
    let buffer = this.buffers.get(piece)
    if (buffer === undefined) {
      buffer = new PieceBuffer(piece, this.meta.pieceLength(piece), this.blockBytes)
      this.buffers.set(piece, buffer)
    }
    buffer.add(offset, data, from)
  }

  /** Every block of `piece` is here: checks it against its hash, then writes it. */
  finish (piece: number): void {
    const buffer = this.buffers.get(piece)
    if (buffer === undefined) return
    this.buffers.delete(piece)
    const from = buffer.contributors
    if (!this.meta.matchesPieceHash(piece, buffer.digest())) {
      // Discarded: never written, never announced; the picker fetches it again.
      this.hashFailures++
      this.wasted += buffer.length
      const blamed = this.smartBan.onFailed(piece, buffer.sources())
      this.hooks.onFailed(piece, from, blamed)
      return
    }
    if (this.smartBan.remembers(piece)) {
      const liars = this.smartBan.onVerified(piece, buffer.blockDigests())
      if (liars.length > 0) this.hooks.onLiarsFound(piece, liars)
    }
    const data = buffer.chunks()
    this.storage.writePiece(piece, data).then(() => this.hooks.onStored(piece, from), (err) => this.onWriteFailed(piece, data, from, err))
  }

  /** Forgets a piece being assembled (a seek left it behind). */
  drop (piece: number): void {
    this.buffers.delete(piece)
  }

  /** The session is closing: no retries, no more hooks for failed writes. */
  stop (): void {
    this.stopped = true
    this.stalledWrites.stop()
  }

  /** A full disk or an I/O error: the piece waits in memory and the first one says so.
   *  Anything else stops the session. */
  private onWriteFailed (piece: number, data: PieceData, from: string[], err: unknown): void {
    if (this.stopped) return
    if (!isWriteStall(err)) {
      this.hooks.onStorageError(err)
      return
    }
    const first = !this.stalledWrites.stalled
    this.stalledWrites.add({ piece, data, from })
    if (first) this.hooks.onWriteStalled(err)
  }
}
