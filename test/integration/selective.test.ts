// Selective download over a loopback testnet: only the pieces the selected files need are
// fetched (a piece shared with a skipped neighbour whole), the selected files arrive
// byte-identical, the skipped ones are not files of the download, and what the node holds it
// serves to another downloader.

import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const KiB = 1024
const PIECE = 64 * KiB

describe('selective download', () => {
  const fixture = useTestSwarm()

  /** A folder of four files whose boundaries fall inside pieces. */
  async function album (): Promise<{ root: string, digests: Record<string, string>, sizes: Record<string, number> }> {
    const root = join(fixture.dir.path, 'album')
    await mkdir(join(root, 'cd1'), { recursive: true })
    await mkdir(join(root, 'cd2'), { recursive: true })
    const sizes: Record<string, number> = { 'cd1/a.flac': 300 * KiB + 17, 'cd1/b.flac': 150 * KiB + 3, 'cd2/c.flac': 500 * KiB + 11, 'cover.jpg': 40 * KiB + 5 }
    const digests: Record<string, string> = {}
    for (const [path, size] of Object.entries(sizes)) digests[path] = await writeRandomFile(join(root, path), size)
    return { root, digests, sizes }
  }

  it('--only fetches the selected files, within one piece per file boundary of their size; the rest are no files', async () => {
    const { root, digests, sizes } = await album()
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(root, { pieceSize: PIECE })

    const out = join(fixture.dir.path, 'out')
    const session = await fixture.swarm.createNode().get(shared.link, { outDir: out, selection: { only: ['cd2'], exclude: ['*.jpg'] } })
    const done = await session.completed()
    expect(done.path).toBe(join(out, 'album'))
    expect(await sha256File(join(done.path, 'cd2', 'c.flac'))).toBe(digests['cd2/c.flac'])
    expect((await readdir(done.path)).sort()).toEqual(['cd2'])
    expect(await readdir(join(done.path, 'cd2'))).toEqual(['c.flac'])
    // c.flac starts and ends inside pieces: at most one piece more on each side.
    expect(done.downloaded).toBeGreaterThanOrEqual(sizes['cd2/c.flac']!)
    expect(done.downloaded).toBeLessThanOrEqual(sizes['cd2/c.flac']! + 2 * PIECE)
    expect(session.selection?.skipped.size).toBe(3)
    // The bytes the skipped files share with c.flac's pieces stay apart, not in the download.
    expect((await readdir(out)).sort()).toEqual(['album', 'album.bitswarm-parts'])
  })

  it('a node holding only a selection serves its pieces to another downloader of the same files', async () => {
    const { root, digests } = await album()
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(root, { pieceSize: PIECE })
    const selection = { only: ['cd1/a.flac'] }

    const first = fixture.swarm.createNode()
    const firstSession = await first.get(shared.link, { outDir: join(fixture.dir.path, 'first'), selection })
    await firstSession.completed()
    await seeder.close() // from now on, only the first downloader holds anything

    const second = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'second'), selection })
    const done = await second.completed()
    expect(await sha256File(join(done.path, 'cd1', 'a.flac'))).toBe(digests['cd1/a.flac'])
    expect(firstSession.stats().uploaded).toBe(done.downloaded)
  })

  it('high-priority files come first', async () => {
    const { root } = await album()
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(root, { pieceSize: PIECE })
    const session = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'prio'), selection: { priorities: { 'cover.jpg': 'high' } } })
    const order: number[] = []
    session.on('piece-verified', ({ piece }) => order.push(piece))
    await session.completed()
    // cover.jpg is the last file: its piece (the last one) is among the first verified.
    const last = shared.meta!.pieceCount - 1
    expect(order.indexOf(last)).toBeLessThan(4)
  })

  it('a selection that leaves nothing fails with ERR_EMPTY_SELECTION before any download', async () => {
    const { root } = await album()
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(root, { pieceSize: PIECE })
    const session = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'none'), selection: { only: ['*.mp3'] } })
    await expect(session.completed()).rejects.toMatchObject({ code: 'ERR_EMPTY_SELECTION' })
    expect(session.stats().downloaded).toBe(0)
  })
})
