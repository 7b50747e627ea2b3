// A share removed and added again (the daemon's pause and resume, or `rm` then `add`) on a
// connection that stays up: the side that opens its channel late is answered, and the two
// trade again over the same connection.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const KiB = 1024

describe('a share added again on a live connection', () => {
  const fixture = useTestSwarm()

  it('the downloader removes and re-adds it: the seeder answers the late channel, the copy completes', async () => {
    const source = join(fixture.dir.path, 'a.bin')
    const digest = await writeRandomFile(source, 256 * KiB)
    const seeder = fixture.swarm.createNode()
    const shared = await seeder.share(source)
    const fetcher = fixture.swarm.createNode()
    await (await fetcher.get(shared.link, { outDir: join(fixture.dir.path, 'one') })).completed()
    expect(await fetcher.remove(shared.infoHash)).toBe(true)

    const again = await fetcher.get(shared.link, { outDir: join(fixture.dir.path, 'two') })
    const done = await again.completed()
    expect(await sha256File(done.path)).toBe(digest)
    expect(fetcher.swarm.connections.size).toBe(1) // the same connection carried it
  })

  it('the seeder removes and re-adds it while a downloader waits: the downloader answers, and completes', async () => {
    const source = join(fixture.dir.path, 'b.bin')
    const digest = await writeRandomFile(source, 2 * 1024 * KiB)
    const seeder = fixture.swarm.createNode({ uploadLimit: 512 * KiB })
    const shared = await seeder.share(source)
    const fetcher = fixture.swarm.createNode()
    const session = await fetcher.get(shared.link, { outDir: join(fixture.dir.path, 'three') })
    await new Promise<void>((resolve) => session.once('piece-verified', () => resolve()))
    expect(await seeder.remove(shared.infoHash)).toBe(true)
    await seeder.share(source)
    const done = await session.completed()
    expect(await sha256File(done.path)).toBe(digest)
  })
})
