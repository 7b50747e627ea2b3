// `get` into a folder that already holds the content, or some of it: what is there and right
// is verified and kept, only what is missing or wrong is fetched, and files of the folder
// that are not the share's are left alone. Something else under the same name is refused.

import { open, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const KiB = 1024
const PIECE = 64 * KiB

describe('get into a folder that holds the content', () => {
  const fixture = useTestSwarm()

  async function seedFolder (): Promise<{ link: string, digests: Record<string, string> }> {
    const root = join(fixture.dir.path, 'src', 'set')
    await mkdir(root, { recursive: true })
    const digests: Record<string, string> = {}
    for (const [name, size] of [['a.bin', 640 * KiB], ['b.bin', 512 * KiB], ['c.bin', 256 * KiB + 9]] as const) digests[name] = await writeRandomFile(join(root, name), size)
    const shared = await fixture.swarm.createNode().share(root, { pieceSize: PIECE })
    return { link: shared.link, digests }
  }

  it('fetches only what is missing or wrong, and keeps the folder\'s other files', async () => {
    const { link, digests } = await seedFolder()
    const out = join(fixture.dir.path, 'out')
    const first = await (await fixture.swarm.createNode().get(link, { outDir: out })).completed()
    // The user's folder since: a file gone, a byte changed in another, a note of their own.
    await rm(join(first.path, 'b.bin'))
    const handle = await open(join(first.path, 'a.bin'), 'r+')
    await handle.write(Buffer.from([0xff ^ (await readFile(join(first.path, 'a.bin')))[300 * KiB]!]), 0, 1, 300 * KiB)
    await handle.close()
    await writeFile(join(first.path, 'notes.txt'), 'mine')

    const again = await fixture.swarm.createNode().get(link, { outDir: out })
    const done = await again.completed()
    expect(done.path).toBe(first.path)
    for (const [name, digest] of Object.entries(digests)) expect(await sha256File(join(done.path, name))).toBe(digest)
    expect(await readFile(join(done.path, 'notes.txt'), 'utf8')).toBe('mine')
    // b.bin whole (8 pieces) and the one piece of a.bin that changed.
    expect(done.downloaded).toBe(512 * KiB + PIECE)
    expect(again.resumed).toMatchObject({ trusted: 0 })
  })

  it('content that is all there completes without fetching a byte', async () => {
    const { link } = await seedFolder()
    const out = join(fixture.dir.path, 'out')
    await (await fixture.swarm.createNode().get(link, { outDir: out })).completed()
    const again = await (await fixture.swarm.createNode().get(link, { outDir: out })).completed()
    expect(again.downloaded).toBe(0)
  })

  it('something else under the same name is refused, untouched', async () => {
    const { link } = await seedFolder()
    const out = join(fixture.dir.path, 'out')
    await mkdir(join(out, 'set'), { recursive: true })
    await writeRandomFile(join(out, 'set', 'a.bin'), 640 * KiB) // same name and size, other bytes
    const before = await sha256File(join(out, 'set', 'a.bin'))
    const session = await fixture.swarm.createNode().get(link, { outDir: out })
    await expect(session.completed()).rejects.toMatchObject({ code: 'ERR_FILE_EXISTS' })
    expect(await sha256File(join(out, 'set', 'a.bin'))).toBe(before)
  })
})
