// The built CLI as separate processes on a private network: bootstrap, share, two gets.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'

const MiB = 1024 * 1024

describe('bitswarm CLI end to end', () => {
  const network = useCliNetwork()
  const net = network.net

  it('prints the bootstrap address as host:port', () => {
    expect(network.address).toMatch(/^127\.0\.0\.1:\d+$/)
  })

  it('share + two gets: both copies match the source byte for byte; share exits 0 on SIGTERM', async () => {
    const source = join(network.dir.path, 'movie.bin')
    const digest = await writeRandomFile(source, 3 * MiB + 777)
    const share = startCli(['share', source, ...net()])
    const link = await share.nextLine()
    expect(link).toMatch(/^bitswarm:\/\/[0-9a-f]{64}\?dn=movie\.bin$/)

    const gets = ['one', 'two'].map((name) => runCli(['get', link, '-o', join(network.dir.path, name), '--json', ...net()]))
    for (const [i, result] of (await Promise.all(gets)).entries()) {
      expect(result.code, result.stderr).toBe(0)
      const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string, [k: string]: unknown })
      const ready = events.find((e) => e.event === 'ready')!
      expect(ready).toMatchObject({ name: 'movie.bin', size: 3 * MiB + 777, link })
      const done = events.at(-1)!
      expect(done.event).toBe('done')
      expect(done.path).toBe(join(network.dir.path, ['one', 'two'][i]!, 'movie.bin'))
      expect(await sha256File(done.path as string)).toBe(digest)
    }

    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })

  it('share --json says when it is announced and how it can be reached; get\'s peer rows carry rtt, bytes in flight and the route', async () => {
    const source = join(network.dir.path, 'route.bin')
    const digest = await writeRandomFile(source, 2 * MiB)
    const share = startCli(['share', source, '--json', '--upload-limit', '1M', ...net()])
    // `hashing` events come first, while the content is hashed.
    let ready = JSON.parse(await share.nextLine()) as { event: string, link: string }
    while (ready.event === 'hashing') ready = JSON.parse(await share.nextLine()) as typeof ready
    expect(ready.event).toBe('ready')
    // On loopback the DHT nodes reach this node: it is found reachable, so it relays for others.
    expect(JSON.parse(await share.nextLine())).toEqual({ event: 'announced', nat: 'open', relay: true })

    const result = await runCli(['get', ready.link, '-o', join(network.dir.path, 'route'), '--json', ...net()])
    expect(result.code, result.stderr).toBe(0)
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string, peers?: Array<Record<string, unknown>>, path?: string })
    const rows = events.filter((e) => e.event === 'peers').flatMap((e) => e.peers!)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.connection).toBe('direct')
      expect(typeof row.rtt).toBe('number')
      expect(row.inflight).toBeGreaterThanOrEqual(0)
    }
    expect(rows.some((row) => (row.inflight as number) > 0)).toBe(true)
    expect(await sha256File(events.at(-1)!.path!)).toBe(digest)
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })

  it('never overwrites an existing file without --force', async () => {
    const source = join(network.dir.path, 'notes.txt')
    const content = 'the new content\n'.repeat(1000)
    await writeFile(source, content)
    const outDir = join(network.dir.path, 'keep')
    const target = join(outDir, 'notes.txt')
    await mkdir(outDir)
    await writeFile(target, 'precious\n')
    const share = startCli(['share', source, ...net()])
    const link = await share.nextLine()

    const refused = await runCli(['get', link, '-o', outDir, ...net()])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('ERR_FILE_EXISTS')
    expect(await readFile(target, 'utf8')).toBe('precious\n')

    const forced = await runCli(['get', link, '-o', outDir, '--force', ...net()])
    expect(forced.code, forced.stderr).toBe(0)
    expect(await readFile(target, 'utf8')).toBe(content)
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })

  it.each([
    ['a malformed link', ['get', 'bitswarm://nothex'], 'ERR_INVALID_LINK'],
    ['a missing file', ['share', '/nonexistent/file.bin'], 'ERR_NOT_FOUND'],
    ['an output folder that cannot be created', ['get', `bitswarm://${'ab'.repeat(32)}`, '-o', '/dev/null/sub'], 'ERR_NOT_WRITABLE'],
    ['an invalid bootstrap address', ['share', '.', '--bootstrap', 'nowhere'], 'ERR_INVALID_OPTION']
  ])('rejects %s with one line and a non-zero exit', async (_what, args, code) => {
    const result = await runCli([...args, '--host', '127.0.0.1'])
    expect(result.code).not.toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(code)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses to start a second bootstrap node on a port in use, with one line', async () => {
    const port = network.address.split(':')[1]!
    const result = await runCli(['bootstrap', '--host', '127.0.0.1', '--port', port])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim()).toBe(`bitswarm: cannot listen on 127.0.0.1:${port}: the port is in use [ERR_INVALID_OPTION]`)
  })

  it('reports an unreachable bootstrap node', async () => {
    const source = join(network.dir.path, 'small.txt')
    await writeFile(source, 'x')
    const result = await runCli(['share', source, '--bootstrap', '127.0.0.1:9', '--host', '127.0.0.1', '--json'])
    expect(result.code).not.toBe(0)
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ event: 'error', code: 'ERR_BOOTSTRAP_UNREACHABLE' })
  })
})
