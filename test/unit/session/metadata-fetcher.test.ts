// The metadata fetcher against scripted peers: it assembles chunks, checks the info hash,
// and asks nothing when the metadata is already known.

import { describe, expect, it } from 'vitest'
import { METADATA_CHUNK_BYTES } from '../../../src/constants.js'
import { encodeInfo } from '../../../src/metadata/info.js'
import { infoHashOf } from '../../../src/metadata/info-hash.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import { MetadataFetcher } from '../../../src/session/metadata-fetcher.js'
import { Peer } from '../../../src/session/peer.js'
import type { WireChannel } from '../../../src/wire/channel.js'
import { HANDSHAKE_FLAGS } from '../../../src/wire/handshake.js'

interface Sent { type: string, message: unknown }

function scriptedPeer (id: string, flags = 0): { peer: Peer, sent: Sent[] } {
  const sent: Sent[] = []
  const wire = { send: (type: string, message: unknown) => { sent.push({ type, message }) } } as unknown as WireChannel
  return { peer: new Peer(id, wire, flags), sent }
}

/** Metadata large enough to span several chunks: 3000 pieces of 32-byte hashes. */
function sampleMetadata (): Metadata {
  const pieceSize = 16 * 1024
  const pieces = 3000
  const info = encodeInfo({
    name: 'big.bin',
    pieceSize,
    files: [{ path: [], length: pieces * pieceSize }],
    pieceHashes: Buffer.alloc(pieces * 32, 7)
  })
  return Metadata.fromBytes(info, infoHashOf(info))
}

function chunkOf (bytes: Buffer, index: number): { index: number, totalBytes: number, data: Buffer } {
  return { index, totalBytes: bytes.length, data: bytes.subarray(index * METADATA_CHUNK_BYTES, (index + 1) * METADATA_CHUNK_BYTES) }
}

describe('MetadataFetcher', () => {
  it('fetches every chunk from one peer and yields metadata equal to the original', () => {
    const meta = sampleMetadata()
    const { peer, sent } = scriptedPeer('a')
    let got: Metadata | null = null
    const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => [peer], onMetadata: (m) => { got = m }, onForgedMetadata: () => { throw new Error('unexpected') }, onRefusedMetadata: () => { throw new Error('unexpected') } })
    fetcher.onPeerOpen()
    expect(sent).toEqual([{ type: 'metadata-request', message: { index: 0 } }])
    const chunks = Math.ceil(meta.bytes.length / METADATA_CHUNK_BYTES)
    expect(chunks).toBeGreaterThan(3)
    for (let i = 0; i < chunks; i++) fetcher.onData(peer, chunkOf(meta.bytes, i))
    expect(sent.map((s) => (s.message as { index: number }).index)).toEqual([...Array(chunks).keys()])
    expect(got).not.toBeNull()
    expect(Buffer.compare(got!.bytes, meta.bytes)).toBe(0)
    expect(fetcher.done).toBe(true)
  })

  it('rejects metadata that does not hash to the info hash and turns to another peer', () => {
    const meta = sampleMetadata()
    const liar = scriptedPeer('liar')
    const honest = scriptedPeer('honest')
    const bad: string[] = []
    const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => [liar.peer, honest.peer], onMetadata: () => {}, onForgedMetadata: (p) => bad.push(p.id), onRefusedMetadata: () => { throw new Error('unexpected') } })
    fetcher.onPeerOpen()
    const forged = Buffer.from(meta.bytes)
    forged[forged.length - 1] = forged.at(-1)! ^ 1
    const chunks = Math.ceil(meta.bytes.length / METADATA_CHUNK_BYTES)
    for (let i = 0; i < chunks; i++) fetcher.onData(liar.peer, chunkOf(forged, i))
    expect(bad).toEqual(['liar'])
    expect(fetcher.done).toBe(false)
    expect(honest.sent[0]).toEqual({ type: 'metadata-request', message: { index: 0 } })
  })

  it('asks no peer for metadata it already holds, even when peers announce pieces', () => {
    const meta = sampleMetadata()
    const { peer, sent } = scriptedPeer('a')
    const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => [peer], onMetadata: () => { throw new Error('unexpected') }, onForgedMetadata: () => {}, onRefusedMetadata: () => {} }, true)
    fetcher.onPeerOpen()
    fetcher.onPeerHasMetadata(peer)
    fetcher.onData(peer, chunkOf(meta.bytes, 0))
    expect(sent).toEqual([])
  })

  describe('a peer that opened saying it holds the metadata (it sends chunk 0 unasked)', () => {
    it('is not asked for chunk 0, and the rest is asked for after the pushed chunk', () => {
      const meta = sampleMetadata()
      const { peer, sent } = scriptedPeer('seeder', HANDSHAKE_FLAGS.metadata)
      let got: Metadata | null = null
      const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => [peer], onMetadata: (m) => { got = m }, onForgedMetadata: () => { throw new Error('unexpected') }, onRefusedMetadata: () => { throw new Error('unexpected') } })
      fetcher.onPeerOpen()
      expect(sent).toEqual([])
      const chunks = Math.ceil(meta.bytes.length / METADATA_CHUNK_BYTES)
      for (let i = 0; i < chunks; i++) fetcher.onData(peer, chunkOf(meta.bytes, i))
      expect(sent.map((s) => (s.message as { index: number }).index)).toEqual([...Array(chunks).keys()].slice(1))
      expect(Buffer.compare(got!.bytes, meta.bytes)).toBe(0)
    })

    it('is asked after all when another peer answered first and the source then left', () => {
      const meta = sampleMetadata()
      const first = scriptedPeer('first')
      const pusher = scriptedPeer('pusher', HANDSHAKE_FLAGS.metadata)
      const peers = [first.peer, pusher.peer]
      const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => peers, onMetadata: () => {}, onForgedMetadata: () => {}, onRefusedMetadata: () => {} })
      fetcher.onPeerOpen()
      expect(first.sent).toEqual([{ type: 'metadata-request', message: { index: 0 } }])
      expect(pusher.sent).toEqual([]) // its chunk 0 comes unasked
      fetcher.onData(first.peer, chunkOf(meta.bytes, 0)) // the first answer wins
      fetcher.onData(pusher.peer, chunkOf(meta.bytes, 0)) // ignored: `first` is the source
      peers.shift()
      fetcher.onPeerGone(first.peer)
      expect(pusher.sent).toEqual([{ type: 'metadata-request', message: { index: 0 } }])
    })

    it('is asked when picked again after it stopped being the source', () => {
      const meta = sampleMetadata()
      const { peer, sent } = scriptedPeer('seeder', HANDSHAKE_FLAGS.metadata)
      const fetcher = new MetadataFetcher(meta.infoHash, { peers: () => [peer], onMetadata: () => {}, onForgedMetadata: () => {}, onRefusedMetadata: () => {} })
      fetcher.onPeerOpen()
      fetcher.onPeerHasMetadata(peer)
      expect(sent).toEqual([])
      fetcher.onReject(peer) // now lacking; asked again once it announces pieces
      fetcher.onPeerHasMetadata(peer)
      expect(sent).toEqual([{ type: 'metadata-request', message: { index: 0 } }])
    })
  })
})
