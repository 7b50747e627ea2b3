// The seam itself: two real sessions over an in-memory encrypted pair complete a transfer,
// and a scripted peer speaks the same protocol as a session does.

import { describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/events.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'
import { serveShare } from '../helpers/scripted-seeder.js'

const KiB = 1024

describe('the in-memory seam', () => {
  const seam = useSeam()

  it('a downloader with only the info hash gets every byte from a seeder session', async () => {
    const share = memoryShare(3 * 1024 * KiB + 777, 256 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const downloader = seam.session(share, { role: 'downloader' })
    const done = waitFor(downloader.session, 'done', 10_000)
    await seam.connect(downloader.session, seeder.session)
    expect((await done).path).toBe('memory:content.bin')
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    expect(downloader.written.sort((a, b) => a - b)).toEqual([...Array(share.meta.pieceCount).keys()])
  })

  it('a scripted seeder speaking the real protocol serves a downloader session', async () => {
    const share = memoryShare(600 * KiB, 64 * KiB)
    const downloader = seam.session(share, { role: 'downloader' })
    const done = waitFor(downloader.session, 'done', 10_000)
    const peer = await seam.scripted(downloader.session, { infoHash: share.meta.infoHash })
    serveShare(peer, share)
    expect(await peer.opened).toBe(true)
    await done
    expect(downloader.storage()!.contents()!.equals(share.content)).toBe(true)
    // The downloader announced every piece it verified to the peer... which has them all.
    expect(peer.all('have')).toEqual([])
    expect(peer.all('request').length).toBeGreaterThanOrEqual(share.meta.pieceCount)
  })
})
