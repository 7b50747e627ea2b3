// `bitswarm daemon` as a user runs it: two shares added, listed, the daemon killed with
// SIGKILL and started again: both back and seeding without hashing anything again, fetched
// by a plain `get`; `rm` forgets one; the API refuses a request without the token; a second
// daemon on the same state folder is refused.

import { mkdir } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork, type CliProcess } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'

const KiB = 1024

interface Row { id: string, name: string, state: string, hashedBytes: number, kind: string }

describe('bitswarm daemon', () => {
  const network = useCliNetwork()

  it('keeps its shares across a SIGKILL, without hashing them again; rm forgets one; no token, no answer', async () => {
    const state = join(network.dir.path, 'state')
    const sources = ['one.bin', 'two.bin'].map((name) => join(network.dir.path, name))
    const digests = await Promise.all(sources.map(async (path, i) => await writeRandomFile(path, (i + 2) * 200 * KiB)))
    const ls = async (): Promise<Row[]> => {
      const out = await runCli(['ls', '--state', state, '--json'])
      expect(out.code, out.stderr).toBe(0)
      return out.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row)
    }
    const start = async (): Promise<CliProcess> => {
      const d = startCli(['daemon', '--state', state, '--json', ...network.net()])
      expect(JSON.parse(await d.nextLine())).toMatchObject({ event: 'ready', state })
      return d
    }

    let daemon = await start()
    try {
      for (const source of sources) expect((await runCli(['add', source, '--state', state])).code).toBe(0)
      const before = await ls()
      expect(before.map((r) => [r.name, r.kind, r.state])).toEqual([['one.bin', 'seed', 'seeding'], ['two.bin', 'seed', 'seeding']])
      expect(before.every((r) => r.hashedBytes > 0)).toBe(true)

      const second = await runCli(['daemon', '--state', state, ...network.net()])
      expect(second.code).toBe(1)
      expect(second.stderr).toMatch(/ERR_DAEMON_RUNNING/)

      daemon.kill('SIGKILL')
      await daemon.exit
      daemon = await start()
      const after = await ls()
      expect(after.map((r) => [r.id, r.state])).toEqual(before.map((r) => [r.id, 'seeding']))
      expect(after.map((r) => r.hashedBytes)).toEqual([0, 0]) // from the metadata cache

      const link = `bitswarm://${after[1]!.id}`
      const out = join(network.dir.path, 'out')
      await mkdir(out)
      const got = await runCli(['get', link, '-o', out, '--quiet', ...network.net()])
      expect(got.code, got.stderr).toBe(0)
      expect(await sha256File(join(out, 'two.bin'))).toBe(digests[1])

      expect((await runCli(['rm', after[0]!.id.slice(0, 6), '--state', state])).code).toBe(0)
      expect((await ls()).map((r) => r.name)).toEqual(['two.bin'])

      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ socketPath: join(state, 'daemon.sock'), path: '/shares' }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
        req.on('error', reject)
        req.end()
      })
      expect(status).toBe(401)

      expect((await runCli(['daemon', 'stop', '--state', state])).code).toBe(0)
      expect((await daemon.exit).code).toBe(0)
      const gone = await runCli(['ls', '--state', state])
      expect(gone.code).toBe(1)
      expect(gone.stderr).toMatch(/ERR_NO_DAEMON/)
    } finally {
      daemon.kill('SIGTERM')
    }
  })

  it('downloads a link and seeds it until its limit, pauses and resumes across a restart, deletes only what it downloaded', async () => {
    const state = join(network.dir.path, 'state2')
    const mine = join(network.dir.path, 'mine.bin')
    await writeRandomFile(mine, 100 * KiB)
    const theirs = join(network.dir.path, 'theirs.bin')
    const digest = await writeRandomFile(theirs, 300 * KiB)
    const sharer = startCli(['share', theirs, '--quiet', ...network.net()])
    const ls = async (): Promise<Row[]> => (await runCli(['ls', '--state', state, '--json'])).stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row)
    /** The daemon's API has no event stream yet: its list is read until it says so (10 s). */
    const until = async (what: string, test: (rows: Row[]) => boolean): Promise<Row[]> => {
      for (let i = 0; i < 100; i++) {
        const rows = await ls()
        if (test(rows)) return rows
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error(`the daemon never listed ${what}: ${JSON.stringify(await ls())}`)
    }
    let daemon = startCli(['daemon', '--state', state, '--json', ...network.net()])
    try {
      await daemon.nextLine()
      const link = await sharer.nextLine()
      const out = join(network.dir.path, 'got')
      await mkdir(out)
      const added = await runCli(['add', link, '-o', out, '--seed-time', '1', '--state', state, '--json'])
      expect(added.code, added.stderr).toBe(0)
      // watch: the same events as the session's, caught up first, through to `done`.
      const watcher = startCli(['watch', (JSON.parse(added.stdout) as Row).id.slice(0, 8), '--state', state, '--json'])
      const types: string[] = []
      while (!types.includes('done')) types.push((JSON.parse(await watcher.nextLine()) as { type: string }).type)
      expect(types[0]).toMatch(/^(metadata|status)$/)
      expect(types).toContain('stats')
      watcher.kill('SIGTERM')
      expect((await watcher.exit).code).toBe(0)
      expect((await runCli(['add', mine, '--state', state])).code).toBe(0)
      const rows = await until('the download finished seeding', (r) => r[0]?.state === 'finished')
      expect(rows[0]).toMatchObject({ kind: 'seed', name: 'theirs.bin' })
      expect(await sha256File(join(out, 'theirs.bin'))).toBe(digest)

      const id = rows[1]!.id
      expect((await runCli(['pause', id.slice(0, 8), '--state', state])).stdout).toMatch(/ paused\n$/)
      daemon.kill('SIGKILL')
      await daemon.exit
      daemon = startCli(['daemon', '--state', state, '--json', ...network.net()])
      await daemon.nextLine()
      expect((await ls()).map((r) => r.state)).toEqual(['finished', 'paused'])
      expect((await runCli(['resume', id.slice(0, 8), '--state', state])).stdout).toMatch(/ (opening|seeding)\n$/)
      await until('the resumed share seeding', (r) => r[1]?.state === 'seeding')

      const refused = await runCli(['rm', id.slice(0, 8), '--delete-data', '--state', state])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/\[ERR_INVALID_OPTION\]/)
      expect(await sha256File(mine)).toMatch(/^[0-9a-f]{64}$/) // still there
      expect((await runCli(['rm', rows[0]!.id.slice(0, 8), '--delete-data', '--state', state])).code).toBe(0)
      await expect(sha256File(join(out, 'theirs.bin'))).rejects.toThrow(/ENOENT/)
      expect((await ls()).map((r) => r.id)).toEqual([id])
    } finally {
      daemon.kill('SIGTERM')
      await daemon.exit
      sharer.kill('SIGTERM')
      await sharer.exit
    }
  })
})
