// Peers that go silent or answer at a trickle: their requests are timed out and fetched
// from others, they keep one request at a time (snubbed), and the metadata fetch is never
// held by one of them.

import { describe, expect, it } from 'vitest'
import { MAX_METADATA_PROBES, METADATA_TIMEOUT_MS } from '../../src/constants.js'
import { waitFor } from '../helpers/events.js'
import { memoryShare } from '../helpers/memory-share.js'
import { waitUntil } from '../helpers/poll.js'
import { useSeam } from '../helpers/seam.js'
import { serveShare } from '../helpers/scripted-seeder.js'

const KiB = 1024
const MiB = 1024 * KiB
/** Short timeouts so the tests see them fire. */
const TIMEOUTS = { requestMs: 300, metadataMs: 300 }

describe('silent and trickling peers', () => {
  const seam = useSeam()

  for (const [kind, serve] of [
    ['silent', { answers: () => false }],
    ['trickling', { delayMs: 3 * TIMEOUTS.requestMs }]
  ] as const) {
    it(`a ${kind} peer's requests time out and go to the seeder; it keeps at most one after that`, async () => {
      const share = memoryShare(2 * MiB, 64 * KiB)
      const downloader = seam.session(share, { role: 'downloader', timeouts: TIMEOUTS })
      const slow = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
      serveShare(slow, share, serve)
      await slow.waitFor('request')
      // Alone with it, its requests expire and are cancelled; from then on it holds one.
      const start = Date.now()
      await slow.waitFor('cancel', () => true, 10 * TIMEOUTS.requestMs)
      expect(Date.now() - start).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 50)
      const ours = downloader.session.peers.get(slow.id)!
      expect(ours.snubbed).toBe(true)
      expect(ours.requests.size).toBeLessThanOrEqual(1)
      const seeder = seam.session(share, { role: 'seeder' })
      const done = waitFor(downloader.session, 'done', 10_000)
      await seam.connect(downloader.session, seeder.session)
      await done
      expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
      // Every request it sat on was withdrawn (timed out, or cancelled when the seeder's copy came).
      await waitUntil(() => slow.all('cancel').length >= slow.all('request').length - slow.all('block').length, 5_000, 'a cancel for each unanswered request')
    })
  }

  it('a silent peer does not hold the metadata fetch: the others were asked too', async () => {
    const share = memoryShare(1 * MiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader' })
    const silent = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    silent.send('bitfield', { bytes: Buffer.alloc(Math.ceil(share.meta.pieceCount / 8), 0xff) })
    await silent.waitFor('metadata-request')
    const start = Date.now()
    const metadata = waitFor(downloader.session, 'metadata', 5_000)
    const seeder = seam.session(share, { role: 'seeder' })
    await seam.connect(downloader.session, seeder.session)
    await metadata
    expect(Date.now() - start).toBeLessThan(METADATA_TIMEOUT_MS / 2)
  })

  it(`${MAX_METADATA_PROBES} silent peers asked first are given up after the metadata timeout for one that answers`, async () => {
    const share = memoryShare(1 * MiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader', timeouts: TIMEOUTS })
    const silent = []
    for (let i = 0; i < MAX_METADATA_PROBES; i++) silent.push(await seam.scripted(downloader.session, { infoHash: share.meta.infoHash }))
    await Promise.all(silent.map(async (peer) => await peer.waitFor('metadata-request')))
    const start = Date.now()
    const honest = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(honest, share)
    const metadata = await waitFor(downloader.session, 'metadata', 5_000)
    const waited = Date.now() - start
    expect(metadata.infoHash).toBe(share.meta.infoHash.toString('hex'))
    // Every probe slot was taken: the newcomer was asked only once they timed out.
    expect(waited).toBeGreaterThanOrEqual(TIMEOUTS.metadataMs - 50)
    expect(waited).toBeLessThan(TIMEOUTS.metadataMs + 1_000)
    for (const peer of silent) expect(peer.all('metadata-request').length).toBe(1)
  })
})
