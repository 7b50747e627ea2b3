import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { acquireLock } from '../../../src/daemon/lock.js'
import { findShare, loadRegistry, saveRegistry, type ShareEntry } from '../../../src/daemon/registry.js'
import { openStateDir, stateDirOf } from '../../../src/daemon/state-dir.js'

let dir = ''
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'bitswarm-state-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

const entry = (id: string, name = 'x'): ShareEntry => ({ id, link: `bitswarm://${id}?dn=${name}`, kind: 'seed', path: `/data/${name}`, paused: false, addedAt: 1 })

describe('the daemon\'s state', () => {
  it('finds its folder from the flag, $BITSWARM_STATE, then $XDG_DATA_HOME', () => {
    expect(stateDirOf('/s', { BITSWARM_STATE: '/e' })).toBe('/s')
    expect(stateDirOf(undefined, { BITSWARM_STATE: '/e', XDG_DATA_HOME: '/x' })).toBe('/e')
    expect(stateDirOf(undefined, { XDG_DATA_HOME: '/x' })).toBe('/x/bitswarm')
  })

  it('creates the folder private and refuses one others may open', async () => {
    const paths = await openStateDir(join(dir, 'state'))
    expect(paths.registry).toBe(join(dir, 'state', 'shares.json'))
    const open = join(dir, 'open')
    await mkdir(open)
    await chmod(open, 0o755)
    await expect(openStateDir(open)).rejects.toMatchObject({ code: 'ERR_INSECURE_STATE' })
  })

  it('keeps the share list across a save and a load; a missing one is empty; a corrupt one is refused and kept', async () => {
    const path = join(dir, 'shares.json')
    expect(await loadRegistry(path)).toEqual([])
    const shares = [entry('a'.repeat(64), 'one'), entry('b'.repeat(64), 'two')]
    await saveRegistry(path, shares)
    expect(await loadRegistry(path)).toEqual(shares)
    await writeFile(path, '{"version":1,"shares":[{"id":"nothex"}]}')
    await expect(loadRegistry(path)).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' })
    expect(await readFile(path, 'utf8')).toBe('{"version":1,"shares":[{"id":"nothex"}]}')
  })

  it('finds a share by a unique prefix of its id', () => {
    const shares = [entry('abcd' + '0'.repeat(60)), entry('abce' + '0'.repeat(60))]
    expect(findShare(shares, 'ABCD').id).toBe(shares[0]!.id)
    expect(() => findShare(shares, 'abc')).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_SHARE' })) // under 4 digits
    expect(() => findShare([shares[0]!, { ...shares[0]!, id: 'abcd' + '1'.repeat(60) }], 'abcd')).toThrow(expect.objectContaining({ code: 'ERR_AMBIGUOUS_ID' }))
    expect(() => findShare(shares, 'ffff')).toThrow(expect.objectContaining({ code: 'ERR_UNKNOWN_SHARE' }))
  })

  it('one daemon per folder: a live lock is refused, a dead one taken over', async () => {
    const path = join(dir, 'daemon.pid')
    const lock = await acquireLock(path)
    await expect(acquireLock(path)).rejects.toMatchObject({ code: 'ERR_DAEMON_RUNNING' })
    await lock.release()
    await writeFile(path, '2147483646\n') // no such process
    const taken = await acquireLock(path)
    expect((await readFile(path, 'utf8')).trim()).toBe(String(process.pid))
    await taken.release()
  })
})
