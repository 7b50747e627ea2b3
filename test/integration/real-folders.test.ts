// A real folder shared and fetched: empty folders and executable files survive the trip,
// symbolic links are skipped (and said so), never followed.

import { chmod, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NodeEvents } from '../../src/node.js'
import { useTestSwarm } from '../helpers/testnet.js'

describe('real folders', () => {
  const fixture = useTestSwarm()

  it('empty folders and the executable bit are kept; links are skipped with an event, and the rest is shared', async () => {
    const root = join(fixture.dir.path, 'project')
    await mkdir(join(root, 'bin'), { recursive: true })
    await mkdir(join(root, 'logs', 'old'), { recursive: true })
    await writeFile(join(root, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n')
    await chmod(join(root, 'bin', 'run.sh'), 0o744)
    await writeFile(join(root, 'notes.txt'), 'plain')
    await symlink('/etc/passwd', join(root, 'passwd'))

    const seeder = fixture.swarm.createNode()
    const skipped: Array<NodeEvents['skipped']> = []
    seeder.on('skipped', (e) => skipped.push(e))
    const shared = await seeder.share(root)
    expect(skipped.map((e) => e.entries)).toEqual([[{ path: ['passwd'], kind: 'symbolic link' }]])

    const out = join(fixture.dir.path, 'out')
    const session = await fixture.swarm.createNode().get(shared.link, { outDir: out })
    const done = await session.completed()
    expect(done.path).toBe(join(out, 'project'))
    expect(await readFile(join(done.path, 'bin', 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n')
    expect((await stat(join(done.path, 'bin', 'run.sh'))).mode & 0o111).not.toBe(0)
    expect((await stat(join(done.path, 'notes.txt'))).mode & 0o111).toBe(0)
    expect((await stat(join(done.path, 'logs', 'old'))).isDirectory()).toBe(true)
    await expect(stat(join(done.path, 'passwd'))).rejects.toThrow(/ENOENT/)
  })

  it('a finished download shared again gives the same link at once: no hashing', async () => {
    const root = join(fixture.dir.path, 'photos')
    await mkdir(join(root, '2024'), { recursive: true })
    await writeFile(join(root, '2024', 'a.jpg'), Buffer.alloc(300 * 1024, 7))
    await writeFile(join(root, 'b.jpg'), Buffer.alloc(50 * 1024, 9))
    const shared = await fixture.swarm.createNode().share(root)

    const session = await fixture.swarm.createNode().get(shared.link, { outDir: join(fixture.dir.path, 'got') })
    const done = await session.completed()
    // The metadata was cached for the download's files before `done`.
    const again = fixture.swarm.createNode()
    const hashed: number[] = []
    again.on('hashing', (p) => hashed.push(p.bytes))
    const reshared = await again.share(done.path)
    expect(reshared.infoHash.equals(shared.infoHash)).toBe(true)
    expect(hashed).toEqual([])
  })
})
