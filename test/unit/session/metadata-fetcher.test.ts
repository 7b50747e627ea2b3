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

interface Sent { type: string, message: unknown }

function scriptedPeer (id: string): { peer: Peer, sent: Sent[] } {
  const sent: Sent[] = []
  const wire = { send: (type: string, message: unknown) => { sent.push({ type, message }) } } as unknown as WireChannel
  return { peer: new Peer(id, wire), sent }
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
})
