// A share whose names cannot all exist on the file system it is downloaded to (Windows rules,
// a case-insensitive file system): each such file is written under its portable name, with
// its own bytes, and the session says which; pieces and hashes are the share's.

import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRenames } from '../../src/storage/on-disk-names.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

describe('names this file system cannot hold', () => {
  const fixture = useTestSwarm()

  it('Windows-reserved names, forbidden characters and case-fold twins arrive under portable names, byte-identical', async () => {
    const root = join(fixture.dir.path, 'docs')
    await mkdir(root)
    const digests: Record<string, string> = {}
    for (const name of ['CON.txt', 'a:b.txt', 'Readme', 'README', 'plain.txt']) digests[name] = await writeRandomFile(join(root, name), 20_000)
    const shared = await fixture.swarm.createNode().share(root)

    const session = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'out'), naming: { windows: true, caseInsensitive: true } })
    const done = await session.completed()
    const written: Record<string, string> = { 'CON.txt': 'CON_.txt', 'a:b.txt': 'a_b.txt', Readme: 'Readme (2)', README: 'README', 'plain.txt': 'plain.txt' }
    expect((await readdir(done.path)).sort()).toEqual(Object.values(written).sort())
    for (const [name, onDisk] of Object.entries(written)) expect(await sha256File(join(done.path, onDisk))).toBe(digests[name])
    expect(session.renamed.map((r) => [r.from.join('/'), r.to.join('/')]).sort()).toEqual([['CON.txt', 'CON_.txt'], ['Readme', 'Readme (2)'], ['a:b.txt', 'a_b.txt']])
    expect(describeRenames(session.renamed)).toMatch(/^3 names of the share cannot exist on this file system and are written as: /)
  })
})
