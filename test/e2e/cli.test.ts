// The built CLI as separate processes on a private network: bootstrap, share, two gets.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HEARTBEAT_MS } from '../../src/cli/change-gate.js'
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

  it('info <link> lists the files of a folder share, asked of its peers, as JSON and as text', async () => {
    const folder = join(network.dir.path, 'album')
    await mkdir(join(folder, 'disc 2'), { recursive: true })
    await writeFile(join(folder, 'cover.jpg'), Buffer.alloc(1000, 1))
    await writeFile(join(folder, 'disc 2', 'track.flac'), Buffer.alloc(300_000, 2))
    const share = startCli(['share', folder, ...net()])
    const link = await share.nextLine()

    const json = await runCli(['info', link, '--json', ...net()])
    expect(json.code, json.stderr).toBe(0)
    const described = JSON.parse(json.stdout) as { event: string, name: string, size: number, files: Array<{ path: string, size: number }> }
    expect(described).toMatchObject({ event: 'info', name: 'album', size: 301_000 })
    expect(described.files).toEqual([{ path: 'cover.jpg', size: 1000 }, { path: 'disc 2/track.flac', size: 300_000 }])

    const text = await runCli(['info', link, ...net()])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^files +2$/m)
    expect(text.stdout).toMatch(/^ +293\.0 KiB {2}disc 2\/track\.flac$/m)
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })

  it('info <link> with nobody sharing it gives up after --timeout with one coded line', async () => {
    const result = await runCli(['info', 'bitswarm://' + 'ab'.repeat(32), '--timeout', '2', '--json', ...net()])
    expect(result.code).toBe(1)
    const error = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { event: string, code: string }
    expect(error).toMatchObject({ event: 'error', code: 'ERR_TIMEOUT' })
  })

  it('share --no-relay: a reachable node that relays for nobody says so', async () => {
    const source = join(network.dir.path, 'no-relay.bin')
    await writeRandomFile(source, 64 * 1024)
    const share = startCli(['share', source, '--json', '--no-relay', ...net()])
    let first = JSON.parse(await share.nextLine()) as { event: string }
    while (first.event === 'hashing') first = JSON.parse(await share.nextLine()) as { event: string }
    expect(first.event).toBe('ready')
    expect(JSON.parse(await share.nextLine())).toEqual({ event: 'announced', nat: 'open', relay: false })
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
    ['an invalid bootstrap address', ['share', '.', '--bootstrap', 'nowhere'], 'ERR_INVALID_OPTION'],
    ['-o - with --seed (the content goes to standard output, not a folder)', ['get', `bitswarm://${'ab'.repeat(32)}`, '-o', '-', '--seed'], 'ERR_INVALID_OPTION']
  ])('rejects %s with one line and a non-zero exit', async (_what, args, code) => {
    const result = await runCli([...args, '--host', '127.0.0.1'])
    expect(result.code).not.toBe(0)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(code)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('a path holding a newline and an escape sequence is one error line, escaped (and exact in JSON)', async () => {
    const path = '/nonexistent/a\nbitswarm: all good [ERR_NONE]\x1b[2J'
    const text = await runCli(['share', path, '--host', '127.0.0.1'])
    expect(text.code).toBe(1)
    expect(text.stderr).toBe('bitswarm: no such file or folder: /nonexistent/a\\nbitswarm: all good [ERR_NONE]\\x1b[2J [ERR_NOT_FOUND]\n')
    const json = await runCli(['share', path, '--host', '127.0.0.1', '--json'])
    expect(json.code).toBe(1)
    expect(json.stdout.split('\n')).toHaveLength(2) // one line and its end
    expect(JSON.parse(json.stdout)).toEqual({ event: 'error', code: 'ERR_NOT_FOUND', message: `no such file or folder: ${path}` })
  })

  it(`an idle seeder in --json mode repeats its progress once per ${HEARTBEAT_MS / 1000} s, not five times a second`, async () => {
    const source = join(network.dir.path, 'idle.bin')
    await writeRandomFile(source, 64 * 1024)
    const share = startCli(['share', source, '--json', ...net()])
    // Read until two progress lines in a row say the same: the heartbeat repeating an idle state.
    const seen: Array<{ at: number, line: string, event: string }> = []
    let previous: { at: number, line: string } | null = null
    let repeat: { at: number, line: string } | null = null
    while (repeat === null && seen.length < 100) {
      const line = await share.nextLine(2 * HEARTBEAT_MS)
      const entry = { at: Date.now(), line, event: (JSON.parse(line) as { event: string }).event }
      seen.push(entry)
      if (entry.event !== 'progress') continue
      if (previous !== null && previous.line === line) repeat = entry
      else previous = entry
    }
    expect(repeat, seen.map((e) => e.line).join('\n')).not.toBeNull()
    const between = seen.filter((e) => e.at > previous!.at && e.at < repeat!.at)
    expect(repeat!.at - previous!.at).toBeGreaterThanOrEqual(HEARTBEAT_MS - 500)
    expect(between.filter((e) => e.event === 'progress')).toHaveLength(0)
    expect(between.filter((e) => e.event === 'peers').length).toBeLessThanOrEqual(1) // its own heartbeat
    const idle = JSON.parse(repeat!.line) as { have: number, pieces: number }
    expect(idle).toMatchObject({ event: 'progress', downloaded: 0, uploaded: 0, peers: 0, downloadRate: 0, uploadRate: 0 })
    expect(idle.have).toBe(idle.pieces)
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
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
