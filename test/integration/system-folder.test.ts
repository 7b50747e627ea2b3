// Real data: a copy of a system folder (/usr/share/doc: thousands of files, symbolic links,
// nested and near-empty folders) shared and fetched gives the tree the folder policy says:
// every folder and regular file, byte for byte, executable bits kept, links skipped.

import { cp, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NodeEvents } from '../../src/node.js'
import { useTestSwarm } from '../helpers/testnet.js'
import { readTree } from '../helpers/tree.js'

const SYSTEM_FOLDER = '/usr/share/doc'

describe('a system folder', () => {
  const fixture = useTestSwarm()

  it(`a copy of ${SYSTEM_FOLDER} arrives as the policy says: files and folders identical, links skipped`, async () => {
    expect((await stat(SYSTEM_FOLDER)).isDirectory()).toBe(true)
    const source = join(fixture.dir.path, 'doc')
    // A copy, so a package installed meanwhile cannot change the folder under the test.
    await cp(SYSTEM_FOLDER, source, { recursive: true, verbatimSymlinks: true })
    const expected = await readTree(source)
    expect(expected.skipped.length).toBeGreaterThan(0)

    const seeder = fixture.swarm.createNode()
    const skipped: Array<NodeEvents['skipped']> = []
    seeder.on('skipped', (e) => skipped.push(e))
    const shared = await seeder.share(source)
    expect(skipped.flatMap((e) => e.entries.map((s) => s.path.join('/'))).sort()).toEqual([...expected.skipped].sort())

    const session = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'out') })
    const done = await session.completed()
    const got = await readTree(done.path)
    expect(got.skipped).toEqual([])
    expect([...got.entries.keys()]).toEqual([...expected.entries.keys()])
    for (const [path, entry] of expected.entries) expect({ path, ...got.entries.get(path) }).toEqual({ path, ...entry })
  }, 300_000)
})
