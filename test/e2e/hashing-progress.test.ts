// Progress of the two hashing passes through the library: share() reports `hashing` (and
// calls onHashProgress), a share of unchanged content starts from the metadata cache with no
// hashing at all, and a resumed download without a usable record reports `checking`.

import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RESUME_RECORD_SUFFIX } from '../../src/constants.js'
import { formatLink } from '../../src/metadata/link.js'
import type { NodeEvents } from '../../src/node.js'
import type { SessionEvents } from '../../src/session/events.js'
import { waitFor } from '../helpers/events.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const MiB = 1024 * 1024

describe('hashing and checking progress', () => {
  const fixture = useTestSwarm()

  it('share() reports hashing to the end; the same files shared again start from the cache, unhashed', async () => {
    const source = join(fixture.dir.path, 'data.bin')
    await writeRandomFile(source, 6 * MiB)
    const cacheDir = join(fixture.dir.path, 'cache')
    const first = fixture.swarm.createNode({ cacheDir })
    const hashing: Array<NodeEvents['hashing']> = []
    first.on('hashing', (e) => hashing.push(e))
    const calls: Array<[number, number]> = []
    const shared = await first.share(source, { pieceSize: 64 * 1024, onHashProgress: (done, total) => calls.push([done, total]) })
    expect(calls).toHaveLength(96)
    expect(calls.at(-1)).toEqual([6 * MiB, 6 * MiB])
    expect(hashing[0]).toMatchObject({ path: source, pieces: 1, pieceCount: 96 })
    expect(hashing.at(-1)).toEqual({ path: source, pieces: 96, pieceCount: 96, bytes: 6 * MiB, totalBytes: 6 * MiB })
    expect(hashing.length).toBeLessThan(96) // at most one every PROGRESS_INTERVAL_MS between first and last

    const second = fixture.swarm.createNode({ cacheDir })
    const again: Array<NodeEvents['hashing']> = []
    second.on('hashing', (e) => again.push(e))
    let called = false
    const reshared = await second.share(source, { pieceSize: 64 * 1024, onHashProgress: () => { called = true } })
    expect(reshared.infoHash).toEqual(shared.infoHash)
    expect(again).toEqual([])
    expect(called).toBe(false)
  })

  it('a partial with no usable resume record is checked in full, with `checking` events, then completed', async () => {
    const source = join(fixture.dir.path, 'data.bin')
    const digest = await writeRandomFile(source, 4 * MiB)
    const seeder = fixture.swarm.createNode({ cacheDir: false })
    const shared = await seeder.share(source, { pieceSize: 64 * 1024 })
    const link = formatLink(shared.infoHash)
    const out = join(fixture.dir.path, 'out')

    // A first download, stopped halfway.
    const first = fixture.swarm.createNode({ cacheDir: false, downloadLimit: 2 * MiB })
    const session = await first.get(link, { outDir: out })
    await new Promise<void>((resolve) => {
      const onPiece = (): void => { if (session.stats().have >= 20) { session.off('piece-verified', onPiece); resolve() } }
      session.on('piece-verified', onPiece)
    })
    await first.close()
    await seeder.close()
    await rm(join(out, 'data.bin' + RESUME_RECORD_SUFFIX)) // as a partial from before resume records

    // Listening before the metadata can arrive: the seeder comes back only then.
    const second = fixture.swarm.createNode({ cacheDir: false })
    const resumedSession = await second.get(link, { outDir: out })
    const checking: Array<SessionEvents['checking']> = []
    const statuses: string[] = []
    resumedSession.on('checking', (e) => checking.push(e))
    resumedSession.on('status', (e) => statuses.push(e.status))
    const resumed = waitFor(resumedSession, 'resumed')
    const done = waitFor(resumedSession, 'done')
    await fixture.swarm.createNode({ cacheDir: false }).share(source, { pieceSize: 64 * 1024 })
    const { have, trusted, checked } = await resumed
    expect({ trusted, checked }).toEqual({ trusted: 0, checked: 64 })
    expect(have).toBeGreaterThanOrEqual(20)
    expect(checking[0]).toMatchObject({ pieces: 1, pieceCount: 64 })
    expect(checking.at(-1)).toEqual({ pieces: 64, pieceCount: 64, bytes: 4 * MiB, totalBytes: 4 * MiB })
    expect(checking.map((c) => c.pieces)).toEqual([...checking.map((c) => c.pieces)].sort((a, b) => a - b))
    expect(statuses.slice(0, 2)).toEqual(['checking', 'downloading'])
    const { path, downloaded } = await done
    expect(await sha256File(path)).toBe(digest)
    expect(downloaded).toBe(4 * MiB - have * 64 * 1024)
  })
})
