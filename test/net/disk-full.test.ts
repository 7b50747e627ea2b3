// A download onto a disk that really fills up: a small tmpfs (mounting needs root, hence
// this suite). Loopback only; no network namespaces. test/e2e/disk-full.test.ts runs the
// same scenario with an injected ENOSPC for the suite every machine runs.

import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PARTIAL_SUFFIX } from '../../src/constants.js'
import { BIN, startCli, useCliNetwork } from '../helpers/cli.js'
import { diskFullScenario } from '../helpers/disk-full.js'
import { sha256File, tempDir, type TempDir, writeRandomFile } from '../helpers/files.js'
import { useTestSwarm } from '../helpers/testnet.js'

const MiB = 1024 * 1024

/** A tmpfs of `mib` MiB holding a filler of `fillerMib`, unmounted after the test. */
function useTmpfs (mib: number, fillerMib: number): { readonly path: string, readonly filler: string } {
  let dir: TempDir | null = null
  let mount = ''
  beforeEach(async () => {
    dir = await tempDir('bitswarm-tmpfs-')
    mount = join(dir.path, 'disk')
    await mkdir(mount)
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m`, 'bitswarm-test', mount])
    await writeFile(join(mount, 'filler'), Buffer.alloc(fillerMib * MiB, 1))
  })
  afterEach(async () => {
    if (mount !== '') execFileSync('umount', [mount])
    await dir?.remove()
  })
  return { get path () { return mount }, get filler () { return join(mount, 'filler') } }
}

describe('a download onto a full tmpfs (library)', () => {
  const fixture = useTestSwarm()
  const disk = useTmpfs(24, 12)

  it('reports ERR_DISK_FULL at once, stops asking, serves what it holds, completes once space is freed', async () => {
    const figures = await diskFullScenario(fixture.swarm, fixture.dir.path, {
      outDir: join(disk.path, 'downloads'),
      free: async () => { await rm(disk.filler) }
    }, 16 * MiB)
    console.info(`disk full: ERR_DISK_FULL ${figures.errorAfterLastPieceMs} ms after the last piece written; ${figures.heldAtError} pieces held, served to a newcomer: ${figures.servedToOther}`)
    expect(figures.errorAfterLastPieceMs).toBeLessThan(1000)
  })
})

describe('get onto a full tmpfs (CLI)', () => {
  const network = useCliNetwork()
  const disk = useTmpfs(24, 12)

  it('exits non-zero with ERR_DISK_FULL and the path at once, keeps the partial, and the next get completes it', async () => {
    const source = join(network.dir.path, 'movie.bin')
    const digest = await writeRandomFile(source, 16 * MiB)
    const share = startCli(['share', source, '--json', ...network.net()], { BITSWARM_CACHE_DIR: join(network.dir.path, 'cache') })
    let ready = JSON.parse(await share.nextLine()) as { event: string, link: string }
    while (ready.event !== 'ready') ready = JSON.parse(await share.nextLine()) as typeof ready
    const out = join(disk.path, 'downloads')
    const args = ['get', ready.link, '-o', out, '--json', ...network.net()]

    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } })
    let errorAt = 0
    let error: { code: string, message: string } | null = null
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { event: string, code: string, message: string }
      if (event.event === 'error') { error = event; errorAt = Date.now() }
    })
    const [code] = await once(child, 'close') as [number | null]
    const exitedAfterMs = Date.now() - errorAt
    expect(code).toBe(1)
    expect(error).toMatchObject({ code: 'ERR_DISK_FULL', message: expect.stringContaining(join(out, 'movie.bin' + PARTIAL_SUFFIX)) })
    expect(exitedAfterMs).toBeLessThan(1000)
    expect(existsSync(join(out, 'movie.bin' + PARTIAL_SUFFIX))).toBe(true)
    console.info(`get on a full disk: exit 1 ${exitedAfterMs} ms after its ERR_DISK_FULL event`)

    await rm(disk.filler)
    const again = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } })
    const events: Array<{ event: string, [k: string]: unknown }> = []
    createInterface({ input: again.stdout }).on('line', (line) => events.push(JSON.parse(line) as typeof events[number]))
    const [codeAgain] = await once(again, 'close') as [number | null]
    expect(codeAgain).toBe(0)
    const resumed = events.find((e) => e.event === 'resumed') as { have: number } | undefined
    expect(resumed?.have).toBeGreaterThan(0)
    expect(await sha256File(join(out, 'movie.bin'))).toBe(digest)
    expect((await readdir(out)).sort()).toEqual(['movie.bin'])
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })
})
