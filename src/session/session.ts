// One share, downloading and/or seeding (libtorrent's "torrent"). It coordinates: peers come
// and go through `attach`, messages are dispatched to the metadata fetcher, the downloader
// and the uploader, and everything worth showing leaves as a typed event.

import type { SecretStream } from 'hyperswarm'
import type { Bitfield } from '../bitfield.js'
import { PEER_STATS_INTERVAL_MS, PROGRESS_INTERVAL_MS, RECHOKE_INTERVAL_MS, REQUEST_TIMEOUT_MS, UPLOAD_SLOTS } from '../constants.js'
import { badMetadata, type BitswarmError, closed, describe, ioError, isBitswarmError } from '../errors.js'
import { discoveryKeyOf } from '../metadata/info-hash.js'
import { formatLink } from '../metadata/link.js'
import type { Metadata } from '../metadata/metadata.js'
import { type FilePriority, piecePriorities, resolveSelection, type ResolvedSelection, type SelectionRules } from '../selection/file-selection.js'
import { describeRenames } from '../storage/on-disk-names.js'
import type { Renamed } from '../storage/portable-names.js'
import type { PieceStorage } from '../storage/storage.js'
import { TypedEmitter } from '../typed-emitter.js'
import { WireChannel } from '../wire/channel.js'
import { HANDSHAKE_FLAGS } from '../wire/handshake.js'
import { BanList } from './ban-list.js'
import { Choking } from './choking.js'
import { Downloader } from './downloader.js'
import { HaveAnnouncer } from './have-announcer.js'
import type { SessionEvents, SessionStats } from './events.js'
import { STANDALONE, type SessionNetwork } from './session-network.js'
import { MetadataFetcher } from './metadata-fetcher.js'
import { Peer } from './peer.js'
import { PeerExchange } from './peer-exchange.js'
import { PeerMessages } from './peer-messages.js'
import { PeerTrust } from './peer-trust.js'
import { SourceWatch } from './source-watch.js'
import { sessionStats } from './session-stats.js'
import { canMove, type SessionStatus } from './status.js'
import { untilDone } from './completion.js'
import { Uploader } from './uploader.js'
import { StreamReaders } from './stream-readers.js'
import { type OpenedStorage, type StorageProvider, type Transfer, type TransferLimits, unlimited } from './transfer.js'

export type { OpenedStorage, StorageProvider, Transfer, TransferLimits } from './transfer.js'

export interface SessionOptions {
  infoHash: Buffer
  storage: StorageProvider
  /** Known when sharing; fetched from peers otherwise. */
  metadata?: Metadata
  /** Shared by every session of a node; unlimited when absent. */
  limits?: TransferLimits
  /** Regular upload slots (UPLOAD_SLOTS); 0 serves nobody. */
  uploadSlots?: number
  /** What the node knows of the network; a session alone (tests) is reachable and dials nobody. */
  network?: SessionNetwork
  /** Fetch the metadata, then close (`bitswarm info <link>`): no storage, no pieces, and no
   *  interest declared, so no peer spends an upload slot on us. */
  metadataOnly?: boolean
  /** The node's ban list, shared by its sessions; a session alone has its own. */
  bans?: BanList
  /** How long a silent peer may hold a block request (REQUEST_TIMEOUT_MS) or the metadata
   *  fetch (METADATA_TIMEOUT_MS) before it goes to another peer. */
  timeouts?: { requestMs?: number, metadataMs?: number }
  /** Which files to download, and in what order of priority (every file alike when absent). */
  selection?: SelectionRules
}

export class Session extends TypedEmitter<SessionEvents> {
  readonly infoHash: Buffer
  readonly discoveryKey: Buffer
  readonly peers = new Map<string, Peer>()
  status: SessionStatus = 'opening'
  transfer: Transfer | null = null
  /** What an interrupted download found when it resumed (the `resumed` event), if it did. */
  resumed: SessionEvents['resumed'] | null = null
  /** Paths of the share written under other names on this file system (on-disk-names.ts). */
  renamed: readonly Renamed[] = []
  /** The file selection once the metadata is known; null when every file is wanted. */
  selection: ResolvedSelection | null = null
  private readonly selectionRules: SelectionRules
  /** Each file's priority once one was changed (setFilePriority), when there is no selection. */
  private filePriorities: FilePriority[] | null = null
  private readonly provider: StorageProvider
  private readonly fetcher: MetadataFetcher
  private readonly messages: PeerMessages
  readonly choking: Choking
  private readonly haves = new HaveAnnouncer(() => this.peers.values())
  readonly exchange: PeerExchange
  /** Whether the connected peers hold any piece we lack. */
  readonly sources = new SourceWatch()
  /** Strikes and bans of peers that sent bad data. */
  readonly trust: PeerTrust
  private readonly network: SessionNetwork
  private readonly limits: TransferLimits
  private readonly requestTimeoutMs: number
  private metadata: Metadata | null
  /** Fetches the metadata, then closes (SessionOptions.metadataOnly). */
  readonly metadataOnly: boolean
  private readonly startedAt = Date.now()
  private readonly timers: NodeJS.Timeout[] = []
  /** The storage being opened, until it is. */
  private opening: Promise<void> = Promise.resolve()
  private closing: Promise<void> | null = null
  private completion: SessionEvents['done'] | null = null

  /** The `done` event once every wanted piece is verified and in place; null before. */
  get done (): SessionEvents['done'] | null { return this.completion }

  constructor (opts: SessionOptions) {
    super()
    this.infoHash = opts.infoHash
    this.discoveryKey = discoveryKeyOf(opts.infoHash)
    this.provider = opts.storage
    this.selectionRules = opts.selection ?? {}
    this.network = opts.network ?? STANDALONE
    this.exchange = new PeerExchange({ peers: () => this.peers.values(), onLearned: (keys) => this.network.onPeersLearned(keys) })
    this.metadata = opts.metadata ?? null
    this.metadataOnly = opts.metadataOnly === true
    this.fetcher = new MetadataFetcher(this.infoHash, {
      peers: () => this.peers.values(),
      // Accepted once: a seeder's fetcher stays idle, and a second copy changes nothing.
      onMetadata: (meta) => { if (this.metadata === null) void this.onMetadata(meta) },
      onForgedMetadata: (peer, err) => this.trust.onForgedMetadata(peer, describe(err)),
      // It hashes to the info hash, so every peer would send these same bytes.
      onRefusedMetadata: (err) => this.fail(badMetadata(describe(err), err))
    }, this.metadata !== null, opts.timeouts?.metadataMs !== undefined ? { timeoutMs: opts.timeouts.metadataMs } : {})
    this.requestTimeoutMs = opts.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS
    this.trust = new PeerTrust(opts.bans ?? new BanList(), {
      peers: () => this.peers,
      warn: (warning) => this.emit('warning', warning),
      disconnect: (peer, why) => this.disconnect(peer, why),
      drop: (peer, why) => this.dropPeer(peer, why),
      downloading: () => this.status === 'downloading'
    })
    this.messages = new PeerMessages(this, this.fetcher)
    this.limits = opts.limits ?? unlimited()
    this.choking = new Choking(opts.uploadSlots ?? UPLOAD_SLOTS, {
      peers: () => this.peers.values(),
      seeding: () => this.transfer?.downloader.complete === true,
      onChoked: (peer) => this.transfer?.uploader.onChoked(peer),
      onUnchoked: (peer) => this.transfer?.uploader.onUnchoked(peer)
    })
  }

  get meta (): Metadata | null { return this.metadata }

  /** The share link, with the display name once the metadata is known. */
  get link (): string { return formatLink(this.infoHash, this.metadata?.name) }

  /** Starts the session: opens storage at once if the metadata is known. */
  start (): void {
    this.trust.start()
    this.timers.push(
      setInterval(() => this.tick(), PROGRESS_INTERVAL_MS),
      setInterval(() => this.choking.rechoke(), RECHOKE_INTERVAL_MS),
      setInterval(() => this.emitPeerStats(), PEER_STATS_INTERVAL_MS)
    )
    if (this.metadata !== null) void this.onMetadata(this.metadata)
    else this.moveTo('fetching-metadata')
  }

  /** Opens this share's channel on a connection; the peer joins once both sides opened. */
  attach (stream: SecretStream): void {
    if (this.status === 'closing' || this.status === 'closed') return
    const id = stream.remotePublicKey.toString('hex')
    if (this.trust.isBanned(id)) {
      stream.destroy()
      return
    }
    let peer: Peer | null = null
    const flags = this.network.flags() | (this.transfer !== null ? HANDSHAKE_FLAGS.metadata : 0)
    const wire = WireChannel.open(stream, this.discoveryKey, this.infoHash, flags, {
      ...this.messages.handlersFor(() => peer),
      onopen: (flags) => { peer = this.addPeer(id, wire!, flags) },
      onclose: (reason, violation) => {
        if (peer === null) return
        if (violation !== null && !peer.dropped) {
          this.emit('warning', { code: 'ERR_PROTOCOL', message: `peer ${id.slice(0, 8)} ${violation.message}`, peer: id })
          this.choking.onMisbehaved(peer)
        }
        this.removePeer(peer, reason)
      },
      ondrain: () => { if (peer !== null) this.transfer?.uploader.onDrain(peer) }
    })
  }

  stats (): SessionStats { return sessionStats(this.peers.values(), this.metadata, this.transfer, this.selection) }

  /** Puts one file (the one streamed) at `priority` while the download runs, the others as
   *  they were: its pieces come before every normal one. A skipped file stays skipped (its
   *  bytes have no file to go to). False when that cannot be: no transfer yet, or skipped. */
  setFilePriority (fileIndex: number, priority: Exclude<FilePriority, 'skip'>): boolean {
    const meta = this.metadata
    if (meta === null || this.transfer === null) return false
    const files = this.selection?.files ?? (this.filePriorities ??= meta.info.files.map(() => 'normal'))
    if (files[fileIndex] === undefined || files[fileIndex] === 'skip') return false
    files[fileIndex] = priority
    this.transfer.downloader.setPriorities(piecePriorities(meta.info.files, meta.pieceSize, files))
    return true
  }

  /** ERR_ONLY_BAD_PEERS (naming them) when peers sent us corrupt data and no other connected
   *  peer holds a piece we lack; null otherwise. */
  onlyBadPeers (): BitswarmError | null { return this.trust.onlyBadSources() }

  /** Resolves with the `done` event once every piece is verified (at once if that already
   *  happened: a small share may complete before the caller has attached a listener);
   *  rejects if the session fails or closes first. */
  completed (): Promise<SessionEvents['done']> {
    if (this.completion === null && this.status === 'closed') return Promise.reject(closed('the session'))
    return untilDone(this, this.completion)
  }

  close (reason = 'closed'): Promise<void> {
    this.closing ??= this.shutdown(reason)
    return this.closing
  }

  /** A peer broke the protocol: its connection goes, and nothing more it sent is read. */
  dropPeer (peer: Peer, why: string): void {
    if (peer.dropped) return
    this.emit('warning', { code: 'ERR_PROTOCOL', message: `peer ${peer.id.slice(0, 8)} ${why}`, peer: peer.id })
    this.choking.onMisbehaved(peer)
    this.disconnect(peer, why)
  }

  private disconnect (peer: Peer, why: string): void {
    if (peer.dropped) return
    peer.dropped = true
    peer.wire.destroy(why)
  }

  /** The remote's pieces are known and we can trade: start exchanging. */
  startTrading (peer: Peer): void {
    const t = this.transfer
    if (t === null || peer.has !== null || peer.pendingBitfield === null) return
    try {
      peer.learnPieceCount(t.meta.pieceCount)
    } catch (err) {
      this.dropPeer(peer, describe(err))
      return
    }
    t.downloader.onPeerReady(peer)
  }

  private addPeer (id: string, wire: WireChannel, flags: number): Peer {
    const previous = this.peers.get(id)
    if (previous !== undefined) this.removePeer(previous, 'replaced by a newer connection')
    const peer = new Peer(id, wire, flags, this.network.routeOf)
    this.peers.set(id, peer)
    if (this.transfer !== null) {
      if ((flags & HANDSHAKE_FLAGS.metadata) === 0) this.messages.serveMetadata(peer, 0)
      wire.send('bitfield', { bytes: this.transfer.downloader.have.toBytes() })
    }
    this.emit('peer-add', { id })
    this.exchange.onPeerAdded(peer)
    if (this.metadata === null) {
      // Interested at once: the remote unchokes us while the metadata arrives, so requests go
      // out the moment it has (a round trip saved); withdrawn if it turns out to have nothing.
      if (!this.metadataOnly) {
        peer.interested = true
        wire.send('interested', null)
      }
      this.fetcher.onPeerOpen()
    }
    return peer
  }

  private removePeer (peer: Peer, reason: string): void {
    if (this.peers.get(peer.id) !== peer) return
    this.peers.delete(peer.id)
    // What it asked of us goes with it, whatever still holds the Peer.
    peer.inbound.length = 0
    peer.reading.length = 0
    this.exchange.onPeerRemoved(peer)
    if (!peer.wire.closed) peer.wire.close(reason)
    this.fetcher.onPeerGone(peer)
    this.transfer?.downloader.onPeerGone(peer)
    if (!peer.choking) this.choking.onSlotFreed()
    this.emit('peer-remove', { id: peer.id, reason, stats: peer.stats() })
  }

  private async onMetadata (meta: Metadata): Promise<void> {
    this.metadata = meta
    this.emit('metadata', {
      infoHash: this.infoHash.toString('hex'),
      name: meta.name,
      totalBytes: meta.totalBytes,
      pieceCount: meta.pieceCount,
      pieceSize: meta.pieceSize
    })
    if (this.metadataOnly) {
      void this.close('the metadata was all that was asked for')
      return
    }
    let opened: OpenedStorage
    try {
      this.selection = resolveSelection(meta.info, this.selectionRules)
      const opening = this.provider.open(meta, (progress) => {
        this.moveTo('checking')
        this.emit('checking', progress)
      }, this.selection?.skipped)
      // A close meanwhile waits for it: storage opened after close() resolved would create
      // files nobody owns any more (a folder removed after the close finds them again).
      this.opening = opening.then(() => {}, () => {})
      opened = await opening
    } catch (err) {
      this.fail(err)
      return
    }
    if (this.status === 'closing' || this.status === 'closed') {
      await opened.storage.close()
      return
    }
    if (opened.resumed != null) {
      this.resumed = opened.resumed
      this.emit('resumed', opened.resumed)
    }
    if (opened.renamed !== undefined && opened.renamed.length > 0) {
      this.renamed = opened.renamed
      this.emit('warning', { code: 'ERR_UNPORTABLE_NAME', message: describeRenames(opened.renamed) })
    }
    this.transfer = this.createTransfer(meta, opened.storage, opened.have)
    for (const peer of this.peers.values()) {
      peer.wire.send('bitfield', { bytes: opened.have.toBytes() })
      this.startTrading(peer)
    }
    if (this.transfer.downloader.complete) await this.onComplete()
    else this.moveTo('downloading')
  }

  private createTransfer (meta: Metadata, storage: PieceStorage, have: Bitfield): Transfer {
    const onMisbehaving = (peer: Peer, why: string): void => this.dropPeer(peer, why)
    const downloader = new Downloader(meta, storage, have, this.limits.download, this.requestTimeoutMs, {
      peers: () => this.peers.values(),
      onPieceVerified: (piece, from) => this.onPieceVerified(piece, from),
      onPieceFailed: (piece, from, blamed) => {
        this.emit('piece-failed', { piece, from, blamed })
        this.trust.strike(blamed, piece)
      },
      onLiarsFound: (piece, liars) => this.trust.strike(liars, piece),
      onMisbehaving,
      onStorageError: (err) => this.fail(err),
      // Not fatal: the session keeps serving, and downloads again once the disk takes the
      // waiting pieces. `completed()` rejects with it, so a command exits with the reason;
      // with nobody listening it is not thrown (the session goes on).
      onWriteStalled: (err) => { if (this.listens('error')) this.emit('error', isBitswarmError(err) ? err : ioError('storage', err)) }
    }, this.selection?.pieces ?? null)
    const uploader = new Uploader(meta, storage, have, this.limits.upload, {
      onMisbehaving,
      onReadError: (err) => this.emit('warning', { code: 'ERR_IO', message: describe(ioError('reading a piece', err)) })
    })
    const readers = new StreamReaders({ pieceBytes: meta.pieceSize, totalBytes: meta.totalBytes }, {
      has: (piece) => have.has(piece),
      inFlight: () => downloader.partialPieces(),
      setUrgent: (pieces, imminent, inOrder) => downloader.setUrgent(pieces, imminent, inOrder),
      abandon: (pieces) => downloader.abandon(pieces),
      onReader: (event) => this.emit('reader', event)
    })
    return { meta, storage, downloader, uploader, readers }
  }

  private onPieceVerified (piece: number, from: string | null): void {
    this.haves.announce(piece)
    this.emit('piece-verified', { piece, from })
    if (this.transfer?.downloader.complete === true) void this.onComplete()
  }

  private async onComplete (): Promise<void> {
    let path: string
    try {
      path = await this.provider.finalize()
    } catch (err) {
      this.fail(err)
      return
    }
    const stats = this.stats()
    this.moveTo('seeding')
    this.emit('stats', stats)
    this.emitPeerStats()
    this.completion = {
      path,
      totalBytes: stats.totalBytes,
      downloaded: stats.downloaded,
      uploaded: stats.uploaded,
      seconds: (Date.now() - this.startedAt) / 1000
    }
    this.emit('done', this.completion)
  }

  private tick (): void {
    const now = Date.now()
    this.fetcher.expire(now)
    this.transfer?.downloader.expireRequests(now)
    this.choking.reassignIdle()
    const missing = this.transfer === null ? 0 : this.transfer.meta.pieceCount - this.transfer.downloader.have.size
    const noSource = this.sources.check(this.status === 'downloading', this.peers, missing, now)
    if (noSource !== null) this.emit('warning', noSource)
    this.emit('stats', this.stats())
  }

  private emitPeerStats (): void {
    this.emit('peer-stats', [...this.peers.values()].map((p) => p.stats()))
  }

  private fail (err: unknown): void {
    const error = isBitswarmError(err) ? err : ioError('storage', err)
    this.emit('error', error)
    void this.close(error.message)
  }

  private moveTo (next: SessionStatus): void {
    if (this.status === next || !canMove(this.status, next)) return
    const previous = this.status
    this.status = next
    this.emit('status', { status: next, previous })
  }

  private async shutdown (reason: string): Promise<void> {
    this.moveTo('closing')
    this.trust.stop()
    for (const timer of this.timers) clearInterval(timer)
    this.choking.stop()
    this.transfer?.downloader.stop()
    this.haves.stop()
    this.exchange.stop()
    for (const peer of [...this.peers.values()]) this.removePeer(peer, reason)
    await this.opening
    await this.transfer?.storage.close()
    this.moveTo('closed')
    this.emit('close', { reason })
  }
}
