// Fetches the metadata of a share known only by its link: asks one peer at a time for its
// chunks (a window of requests in flight), and trusts the result only once its hash equals
// the info hash (BitTorrent's ut_metadata, BEP 9).

import { METADATA_CHUNK_BYTES, REQUEST_TIMEOUT_MS } from '../constants.js'
import { Metadata } from '../metadata/metadata.js'
import { HANDSHAKE_FLAGS, type MetadataData } from '../wire/messages.js'
import type { Peer } from './peer.js'

/** Chunk requests kept in flight with the source peer. */
const METADATA_WINDOW = 16

export interface MetadataFetcherHooks {
  peers: () => Iterable<Peer>
  onMetadata: (meta: Metadata) => void
  /** The peer sent metadata that is malformed or does not hash to the info hash. */
  onBadMetadata: (peer: Peer, err: unknown) => void
}

export class MetadataFetcher {
  private readonly infoHash: Buffer
  private readonly hooks: MetadataFetcherHooks
  /** Peers that said they lack the metadata; asked again once they announce pieces. */
  private readonly lacking = new Set<string>()
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

  constructor (infoHash: Buffer, hooks: MetadataFetcherHooks, known = false) {
    this.infoHash = infoHash
    this.hooks = hooks
    this.done = known
  }

  onPeerOpen (): void {
    if (this.source === null) this.startNext()
  }

  /** The peer sent a bitfield, so it holds the metadata now even if it lacked it before. */
  onPeerHasMetadata (peer: Peer): void {
    this.lacking.delete(peer.id)
    if (this.source === null) this.startNext()
  }

  onReject (peer: Peer): void {
    if (peer !== this.source) return
    this.lacking.add(peer.id)
    this.reset()
    this.startNext()
  }

  onPeerGone (peer: Peer): void {
    this.lacking.delete(peer.id)
    this.chosenBefore.delete(peer.id)
    this.pushIgnored.delete(peer.id)
    if (peer !== this.source) return
    this.reset()
    this.startNext()
  }

  onData (peer: Peer, message: MetadataData): void {
    if (this.done) return
    if (peer !== this.source) {
      this.pushIgnored.add(peer.id) // another source is at work: ask this peer if it comes to that
      return
    }
    this.lastActivity = Date.now()
    if (this.bytes === null) this.allocate(message.totalBytes)
    const chunks = this.received.length
    const expected = message.index === chunks - 1 ? this.bytes!.length - message.index * METADATA_CHUNK_BYTES : METADATA_CHUNK_BYTES
    if (message.totalBytes !== this.bytes!.length || message.index >= chunks || message.data.byteLength !== expected) {
      this.fail(peer, new Error('inconsistent metadata chunk'))
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

  /** A source that went quiet is given up for another peer. */
  expire (now: number): void {
    if (this.source === null || now - this.lastActivity < REQUEST_TIMEOUT_MS) return
    this.lacking.add(this.source.id)
    this.reset()
    this.startNext()
  }

  private startNext (): void {
    if (this.done) return
    for (const peer of this.hooks.peers()) {
      if (this.lacking.has(peer.id)) continue
      this.source = peer
      this.lastActivity = Date.now()
      // A peer that opened saying it holds the metadata sends chunk 0 unasked, right behind its
      // open; asking too would only fetch it twice. A push that never comes expires like a request.
      if (!this.pushComing(peer)) peer.wire.send('metadata-request', { index: 0 })
      this.chosenBefore.add(peer.id)
      return
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
      this.fail(peer, err)
      return
    }
    this.done = true
    this.reset()
    this.hooks.onMetadata(meta)
  }

  private fail (peer: Peer, err: unknown): void {
    this.lacking.add(peer.id)
    this.reset()
    this.hooks.onBadMetadata(peer, err)
    this.startNext()
  }

  private reset (): void {
    this.source = null
    this.bytes = null
    this.received = new Uint8Array(0)
    this.receivedCount = 0
    this.nextIndex = 0
  }
}
