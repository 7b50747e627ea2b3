// Reading a session's content in order while it downloads: only verified pieces, waiting for
// those not yet here; a read fails when the session closes or the caller aborts.

import { describe, expect, it } from 'vitest'
import { contentInOrder, readContent } from '../../src/session/content-reader.js'
import { memoryShare } from '../helpers/memory-share.js'
import { useSeam } from '../helpers/seam.js'

const KiB = 1024

describe('content reader', () => {
  const seam = useSeam()

  it('yields the whole content in order while the pieces arrive in any order', async () => {
    const share = memoryShare(1024 * KiB + 123, 16 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const downloader = seam.session(share, { role: 'downloader' })
    const verifiedOrder: number[] = []
    downloader.session.on('piece-verified', ({ piece }) => verifiedOrder.push(piece))
    const reading = (async () => {
      const parts: Buffer[] = []
      for await (const part of contentInOrder(downloader.session)) parts.push(part)
      return Buffer.concat(parts)
    })()
    await seam.connect(downloader.session, seeder.session)
    const content = await reading
    expect(content.equals(share.content)).toBe(true)
    // Rarest-first picks at random among equals: the reader waited for the order itself.
    expect(verifiedOrder).not.toEqual([...verifiedOrder].sort((a, b) => a - b))
  })

  it('reads a range across pieces, from a given start, byte-exact', async () => {
    const share = memoryShare(256 * KiB, 16 * KiB)
    const seeder = seam.session(share, { role: 'seeder' })
    const downloader = seam.session(share, { role: 'downloader' })
    const range = readContent(downloader.session, 20 * KiB + 5, 100 * KiB)
    await seam.connect(downloader.session, seeder.session)
    expect((await range).equals(share.content.subarray(20 * KiB + 5, 120 * KiB + 5))).toBe(true)
    const tail: Buffer[] = []
    for await (const part of contentInOrder(downloader.session, 200 * KiB)) tail.push(part)
    expect(Buffer.concat(tail).equals(share.content.subarray(200 * KiB))).toBe(true)
    await expect(readContent(downloader.session, 250 * KiB, 7 * KiB)).rejects.toThrow(RangeError)
  })

  it('a waiting read fails on abort, and when the session closes', async () => {
    const share = memoryShare(64 * KiB, 16 * KiB)
    const lonely = seam.session(share, { role: 'downloader' })
    const controller = new AbortController()
    const aborted = readContent(lonely.session, 0, 10, controller.signal)
    controller.abort(new Error('the reader went away'))
    await expect(aborted).rejects.toThrow('the reader went away')
    const waiting = readContent(lonely.session, 0, 10)
    await lonely.session.close('test')
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })
})
