// Metadata from peers: refused metadata (it hashes to the link's info hash, so no peer can
// send other bytes) fails the download with ERR_BAD_METADATA, once, before anything is
// written; forged metadata (it does not hash to the link) strikes its sender, which is never
// asked again, even after a reconnect.

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encode } from '../../src/codec.js'
import { METADATA_CHUNK_BYTES } from '../../src/constants.js'
import { infoCodec } from '../../src/metadata/info.js'
import { BanList } from '../../src/session/ban-list.js'
import type { SessionEvents } from '../../src/session/events.js'
import { waitFor } from '../helpers/events.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'
import type { ScriptedPeer } from '../helpers/scripted-peer.js'
import { serveShare } from '../helpers/scripted-seeder.js'
import { keyPair } from '../helpers/stream-pair.js'

const KiB = 1024

/** Serves `bytes` as the metadata, whatever they are. */
function serveMetadataBytes (peer: ScriptedPeer, bytes: Buffer): void {
  peer.send('bitfield', { bytes: Buffer.alloc(1, 0x80) })
  peer.on('metadata-request', ({ index }) => {
    peer.send('metadata-data', { index, totalBytes: bytes.length, data: bytes.subarray(index * METADATA_CHUNK_BYTES, (index + 1) * METADATA_CHUNK_BYTES) })
  })
}

describe('metadata from peers', () => {
  const seam = useSeam()

  it('metadata with a path escaping the folder: ERR_BAD_METADATA, asked once, nothing opened or written', async () => {
    // Encoded without validation, as a hostile sharer would: the link is its hash.
    const hostile = encode(infoCodec, {
      name: 'innocent',
      pieceSize: 16 * KiB,
      files: [{ path: ['..', '..', 'etc', 'cron.d', 'x'], length: 100 }],
      pieceHashes: Buffer.alloc(32)
    })
    const infoHash = createHash('sha256').update(hostile).digest()
    const share = memoryShare(100, 16 * KiB) // only for the storage helper; never opened
    const downloader = seam.session({ ...share, meta: { ...share.meta, infoHash } as typeof share.meta }, { role: 'downloader' })
    const errors: Array<SessionEvents['error']> = []
    downloader.session.on('error', (e) => errors.push(e))
    const closed = waitFor(downloader.session, 'close', 5_000)
    const peer = await seam.scripted(downloader.session, { infoHash })
    serveMetadataBytes(peer, hostile)
    await closed
    expect(errors.map((e) => e.code)).toEqual(['ERR_BAD_METADATA'])
    expect(errors[0]!.message).toMatch(/^the metadata of this link is refused: .*"\.\."/)
    expect(peer.all('metadata-request')).toEqual([{ index: 0 }])
    expect(downloader.storage()).toBeNull()
    expect(downloader.written).toEqual([])
    await expect(downloader.session.completed()).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })

  it('forged metadata strikes its sender, which is not asked again after a reconnect', async () => {
    const share = memoryShare(256 * KiB, 64 * KiB)
    const bans = new BanList()
    const downloader = seam.session(share, { role: 'downloader', bans })
    const warned = waitFor(downloader.session, 'warning', 5_000)
    const forgerKey = keyPair()
    const forger = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash, keyPair: forgerKey })
    const forged = Buffer.from(share.meta.bytes)
    forged[forged.length - 1]! ^= 1
    serveMetadataBytes(forger, forged)
    const warning = await warned
    expect(warning).toMatchObject({ code: 'ERR_PROTOCOL', peer: forger.id })
    expect(warning.message).toContain("sent metadata that is not this link's")
    await forger.closed
    expect(bans.strikesOf(forger.id)).toBe(1)

    const back = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash, keyPair: forgerKey })
    serveMetadataBytes(back, forged)
    expect(await back.opened).toBe(true)
    const honest = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(honest, share)
    await waitFor(downloader.session, 'done', 5_000)
    expect(back.all('metadata-request')).toEqual([])
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
  })
})
