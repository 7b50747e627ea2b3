// Several nodes over a real HyperDHT testnet on loopback: a seeder and downloaders that
// start with nothing but the link.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatLink } from '../../src/metadata/link.js'
import { waitFor } from '../helpers/events.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const MiB = 1024 * 1024

describe('swarm on a loopback testnet', () => {
  const fixture = useTestSwarm()

  it('one seeder and two downloaders with only the link end with byte-identical files', async () => {
    const source = join(fixture.dir.path, 'source.bin')
    const digest = await writeRandomFile(source, 5 * MiB + 12_345)

    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(source, { pieceSize: 256 * 1024 })
    const link = formatLink(shared.infoHash, shared.meta!.name)

    const downloads = await Promise.all(['a', 'b'].map(async (name) => {
      const node = fixture.swarm.createNode()
      const session = await node.get(link, { outDir: join(fixture.dir.path, name) })
      return await waitFor(session, 'done')
    }))

    for (const [i, done] of downloads.entries()) {
      expect(done.path).toBe(join(fixture.dir.path, ['a', 'b'][i]!, 'source.bin'))
      expect(done.totalBytes).toBe(5 * MiB + 12_345)
      expect(await sha256File(done.path)).toBe(digest)
    }
    // Every payload byte was fetched from the network, across both downloaders.
    expect(downloads.reduce((sum, d) => sum + d.downloaded, 0)).toBeGreaterThanOrEqual(2 * (5 * MiB + 12_345))
  })

  it('a downloader serves what it holds: a third node completes after the seeder has left', async () => {
    const source = join(fixture.dir.path, 'source.bin')
    const digest = await writeRandomFile(source, 2 * MiB)

    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(source, { pieceSize: 64 * 1024 })
    const link = formatLink(shared.infoHash)

    const first = await fixture.swarm.createNode().get(link, { outDir: join(fixture.dir.path, 'first') })
    await waitFor(first, 'done')
    await seeder.close()

    const late = await fixture.swarm.createNode().get(link, { outDir: join(fixture.dir.path, 'late') })
    const done = await waitFor(late, 'done')
    expect(await sha256File(done.path)).toBe(digest)
    expect(first.stats().uploaded).toBe(2 * MiB)
  })
})
