// Dispatches each wire message from a peer to the part of the session that owns it.
// Messages that arrive before they can make sense are kept (a bitfield before we know the
// piece count) or refused; nothing a peer sends can throw out of here.

import { MAX_EXTRA_METADATA_REQUESTS, MAX_PIECES, METADATA_CHUNK_BYTES } from '../constants.js'
import type { MessageHandlers } from '../wire/channel.js'
import type { MetadataFetcher } from './metadata-fetcher.js'
import type { Peer } from './peer.js'
import type { Session } from './session.js'
import { rejectChoked } from './uploader.js'

export class PeerMessages {
  private readonly session: Session
  private readonly fetcher: MetadataFetcher

  constructor (session: Session, fetcher: MetadataFetcher) {
    this.session = session
    this.fetcher = fetcher
  }

  /** Handlers for one channel; `current` is null until the channel has opened. */
  handlersFor (current: () => Peer | null): MessageHandlers {
    const session = this.session
    const fetcher = this.fetcher
    const on = <T>(handle: (peer: Peer, message: T) => void) => (message: T): void => {
      const peer = current()
      // Before the handshake is proven, or after the peer was dropped (the rest of a batch).
      if (peer === null || peer.dropped) return
      try {
        handle(peer, message)
      } catch (err) {
        session.dropPeer(peer, err instanceof Error ? err.message : String(err))
      }
    }

    return {
      'metadata-request': on((peer, m) => this.serveMetadata(peer, m.index)),
      'metadata-data': on((peer, m) => fetcher.onData(peer, m)),
      'metadata-reject': on((peer) => fetcher.onReject(peer)),
      bitfield: on((peer, m) => {
        if (peer.has !== null || peer.pendingBitfield !== null) throw new Error('sent a second bitfield')
        peer.pendingBitfield = m.bytes
        fetcher.onPeerHasMetadata(peer)
        session.startTrading(peer)
      }),
      have: on((peer, m) => {
        if (peer.has === null) {
          if (peer.pendingHaves.length >= MAX_PIECES) throw new Error('sent too many haves')
          peer.pendingHaves.push(m.piece)
          return
        }
        if (m.piece >= peer.has.length) throw new Error(`announced piece ${m.piece} of ${peer.has.length}`)
        if (peer.has.set(m.piece)) session.transfer?.downloader.onHave(peer, m.piece)
      }),
      request: on((peer, m) => {
        const t = session.transfer
        // Before our storage is open every peer is choked.
        if (t === null) rejectChoked(peer, m, (p, why) => session.dropPeer(p, why))
        // Only a request it queued shows the peer using its slot (not junk we rejected).
        else if (t.uploader.onRequest(peer, m)) session.choking.onAsked(peer)
      }),
      block: on((peer, m) => session.transfer?.downloader.onBlock(peer, m)),
      cancel: on((peer, m) => session.transfer?.uploader.onCancel(peer, m)),
      reject: on((peer, m) => session.transfer?.downloader.onReject(peer, m)),
      choke: on((peer) => {
        if (session.transfer === null) peer.choked = true
        else session.transfer.downloader.onChoke(peer)
      }),
      unchoke: on((peer) => {
        if (session.transfer === null) peer.choked = false
        else session.transfer.downloader.onUnchoke(peer)
      }),
      interested: on((peer) => session.choking.onInterested(peer)),
      'not-interested': on((peer) => session.choking.onNotInterested(peer)),
      peers: on((peer, m) => session.exchange.onMessage(peer, m.keys))
    }
  }

  /** Answers one metadata chunk request from what we hold (or sends the first chunk unasked
   *  to a peer that said it lacks the metadata). */
  serveMetadata (peer: Peer, index: number): void {
    const meta = this.session.meta
    const chunks = meta === null ? 0 : Math.ceil(meta.bytes.length / METADATA_CHUNK_BYTES)
    if (++peer.metadataRequests > 2 * chunks + MAX_EXTRA_METADATA_REQUESTS) {
      this.session.dropPeer(peer, `asked for metadata ${peer.metadataRequests} times`)
      return
    }
    if (meta === null || this.session.transfer === null) {
      peer.wire.send('metadata-reject', { index })
      return
    }
    const start = index * METADATA_CHUNK_BYTES
    if (start >= meta.bytes.length) {
      this.session.dropPeer(peer, `asked for metadata chunk ${index} of a ${meta.bytes.length}-byte metadata`)
      return
    }
    const data = meta.bytes.subarray(start, start + METADATA_CHUNK_BYTES)
    peer.wire.send('metadata-data', { index, totalBytes: meta.bytes.length, data })
  }
}
