// Fetches the metadata of a share known only by its link (BitTorrent's ut_metadata, BEP 9):
// the first chunk is asked of several peers at once, the first to answer becomes the source
// of the rest (a window of requests in flight), and the result is trusted only once its hash
// equals the info hash. A silent peer holds nothing up: the others were asked too, and it is
// given up after METADATA_TIMEOUT_MS. A peer that sent forged metadata is never asked again.

import { MAX_METADATA_PROBES, METADATA_CHUNK_BYTES, METADATA_TIMEOUT_MS } from '../constants.js'
import { isBitswarmError } from '../errors.js'
import { Metadata } from '../metadata/metadata.js'
import { HANDSHAKE_FLAGS, type MetadataData } from '../wire/messages.js'
import type { Peer } from './peer.js'

/** Chunk requests kept in flight with the source peer. */
const METADATA_WINDOW = 16

export interface MetadataFetcherHooks {
  peers: () => Iterable<Peer>
  onMetadata: (meta: Metadata) => void
  /** The peer sent metadata that does not hash to the info hash (or inconsistent chunks): it lied. */
  onForgedMetadata: (peer: Peer, err: unknown) => void
  /** The metadata hashes to the info hash but is refused (hostile paths, limits): no peer can
   *  send anything else for this link. */
  onRefusedMetadata: (err: unknown) => void
}

export interface MetadataFetcherOptions {
  /** A peer asked for a chunk that stays silent this long is given up (METADATA_TIMEOUT_MS). */
  timeoutMs?: number
  /** Peers asked for the first chunk at once (MAX_METADATA_PROBES). */
  probes?: number
}

export class MetadataFetcher {
  private readonly infoHash: Buffer
  private readonly hooks: MetadataFetcherHooks
  private readonly timeoutMs: number
  private readonly probes: number
  /** Peers that said they lack the metadata or went quiet; asked again once they announce pieces. */
  private readonly lacking = new Set<string>()
  /** Peers that sent forged metadata: never asked again, even after a reconnect. */
  private readonly refused = new Set<string>()
  /** Peers asked for the first chunk, not yet answered, with when they were asked. */
  private readonly probing = new Map<Peer, number>()
  private source: Peer | null = null
  /** Peers already picked as the source once: asked, never awaited, the next time. */
  private readonly chosenBefore = new Set<string>()
  /** Peers whose unasked first chunk arrived while another peer was the source. */
  private readonly pushIgnored = new Set<string>()
  private bytes: Buffer | null = null
  private received: Uint8Array = new Uint8Array(0)
  private receivedCount = 0
  private nextIndex = 0
  private lastActivity = 0
  /** The metadata is known: nothing is asked of any peer. */
  done: boolean

  constructor (infoHash: Buffer, hooks: MetadataFetcherHooks, known = false, opts: MetadataFetcherOptions = {}) {
    this.infoHash = infoHash
    this.hooks = hooks
    this.done = known
    this.timeoutMs = opts.timeoutMs ?? METADATA_TIMEOUT_MS
    this.probes = opts.probes ?? MAX_METADATA_PROBES
  }

  onPeerOpen (): void {
    this.ask()
  }

  /** The peer sent a bitfield, so it holds the metadata now even if it lacked it before. */
  onPeerHasMetadata (peer: Peer): void {
    this.lacking.delete(peer.id)
    this.ask()
  }

  onReject (peer: Peer): void {
    if (peer === this.source) this.reset()
    else if (!this.probing.delete(peer)) return
    this.lacking.add(peer.id)
    this.ask()
  }

  onPeerGone (peer: Peer): void {
    this.lacking.delete(peer.id)
    this.chosenBefore.delete(peer.id)
    this.pushIgnored.delete(peer.id)
    this.probing.delete(peer)
    if (peer === this.source) this.reset()
    this.ask()
  }

  onData (peer: Peer, message: MetadataData): void {
    if (this.done) return
    if (this.source === null && this.probing.has(peer) && message.index === 0) {
      // The first answer wins; the other probes' answers are ignored when they come.
      this.probing.clear()
      this.source = peer
      this.allocate(message.totalBytes)
    }
    if (peer !== this.source) {
      this.pushIgnored.add(peer.id) // if it was sent unasked, ask this peer if it comes to that
      return
    }
    this.lastActivity = Date.now()
    const chunks = this.received.length
    const expected = message.index === chunks - 1 ? this.bytes!.length - message.index * METADATA_CHUNK_BYTES : METADATA_CHUNK_BYTES
    if (message.totalBytes !== this.bytes!.length || message.index >= chunks || message.data.byteLength !== expected) {
      this.forged(peer, new Error('inconsistent metadata chunk'))
      return
    }
    if (this.received[message.index] === 0) {
      message.data.copy(this.bytes!, message.index * METADATA_CHUNK_BYTES)
      this.received[message.index] = 1
      this.receivedCount++
    }
    if (this.receivedCount === chunks) this.finish(peer)
    else this.requestMore(peer)
  }

  /** Peers that went quiet are given up for others. */
  expire (now: number): void {
    if (this.done) return
    for (const [peer, askedAt] of this.probing) {
      if (now - askedAt < this.timeoutMs) continue
      this.probing.delete(peer)
      this.lacking.add(peer.id)
    }
    if (this.source !== null && now - this.lastActivity >= this.timeoutMs) {
      this.lacking.add(this.source.id)
      this.reset()
    }
    this.ask()
  }

  /** Asks peers not yet asked for the first chunk, up to `probes` at once, while no source answers. */
  private ask (): void {
    if (this.done || this.source !== null) return
    const now = Date.now()
    for (const peer of this.hooks.peers()) {
      if (this.probing.size >= this.probes) return
      if (this.probing.has(peer) || this.lacking.has(peer.id) || this.refused.has(peer.id) || peer.dropped) continue
      this.probing.set(peer, now)
      // A peer that opened saying it holds the metadata sends chunk 0 unasked, right behind its
      // open; asking too would only fetch it twice. A push that never comes expires like a request.
      if (!this.pushComing(peer)) peer.wire.send('metadata-request', { index: 0 })
      this.chosenBefore.add(peer.id)
    }
  }

  /** Whether the peer's first chunk is on its way unasked (HANDSHAKE_FLAGS.metadata). */
  private pushComing (peer: Peer): boolean {
    return (peer.flags & HANDSHAKE_FLAGS.metadata) !== 0 && !this.chosenBefore.has(peer.id) && !this.pushIgnored.has(peer.id)
  }

  private allocate (totalBytes: number): void {
    // totalBytes is bounded by the message codec (MAX_METADATA_BYTES).
    this.bytes = Buffer.alloc(totalBytes)
    this.received = new Uint8Array(Math.ceil(totalBytes / METADATA_CHUNK_BYTES))
    this.nextIndex = 1
  }

  private requestMore (peer: Peer): void {
    const chunks = this.received.length
    while (this.nextIndex < chunks && this.nextIndex - this.receivedCount < METADATA_WINDOW) {
      peer.wire.send('metadata-request', { index: this.nextIndex++ })
    }
  }

  private finish (peer: Peer): void {
    let meta: Metadata
    try {
      meta = Metadata.fromBytes(this.bytes!, this.infoHash)
    } catch (err) {
      if (isBitswarmError(err) && err.code === 'ERR_METADATA_MISMATCH') {
        this.forged(peer, err)
        return
      }
      this.done = true
      this.reset()
      this.hooks.onRefusedMetadata(err)
      return
    }
    this.done = true
    this.reset()
    this.hooks.onMetadata(meta)
  }

  private forged (peer: Peer, err: unknown): void {
    this.refused.add(peer.id)
    this.reset()
    this.hooks.onForgedMetadata(peer, err)
    this.ask()
  }

  private reset (): void {
    this.source = null
    this.bytes = null
    this.received = new Uint8Array(0)
    this.receivedCount = 0
    this.nextIndex = 0
  }
}
