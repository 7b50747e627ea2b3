// A `get` killed with SIGKILL at five points of a 64 MiB download (in the middle of a resume
// record write, twice in the middle of a piece write, just before and just after the final
// rename), started again each time, ends byte-identical; every piece written before a kill
// is held after it without being fetched again, and a complete partial finishes without
// re-hashing anything. The kill points come from BITSWARM_TEST_CRASH_AT (src/storage/
// crash-point.ts, test only); the kill points' piece counts are seeded-random.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, readdir, readFile, rename, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { MAX_INFLIGHT_BYTES, MAX_PARTIAL_BYTES, PARTIAL_SUFFIX } from '../../src/constants.js'
import { BIN, runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { seeded } from '../helpers/random.js'

const MiB = 1024 * 1024
const SIZE = 64 * MiB
const PIECE = 64 * 1024 // the automatic piece size for 64 MiB
const SEED = 0x5eed11

type Event = { event: string, [field: string]: unknown }

interface Run {
  events: Event[]
  crash: { point: string, written: number, held: number } | null
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/** Runs `get --json` to its end (or its kill), with the crash point armed. */
async function runGet (args: string[], crashAt: string | null, cacheDir: string): Promise<Run> {
  const env = { ...process.env, NO_COLOR: '1', BITSWARM_CACHE_DIR: cacheDir, BITSWARM_TEST_CRASH_AT: crashAt ?? '' }
  const child = spawn(process.execPath, [BIN, 'get', ...args, '--json'], { env })
  const events: Event[] = []
  createInterface({ input: child.stdout }).on('line', (line) => events.push(JSON.parse(line) as Event))
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  // 'close': the process has exited and its output is all read.
  const [code, signal] = await once(child, 'close') as [number | null, NodeJS.Signals | null]
  const crashLine = stderr.split('\n').find((line) => line.startsWith('bitswarm-test-crash '))
  const crash = crashLine === undefined ? null : JSON.parse(crashLine.slice('bitswarm-test-crash '.length)) as Run['crash']
  return { events, crash, code, signal, stderr }
}

describe('resume after SIGKILL', () => {
  const network = useCliNetwork()

  it('killed at five points and restarted each time, the download ends byte-identical, fetching again only what was in flight', async () => {
    const random = seeded(SEED)
    const dir = network.dir.path
    const cacheDir = join(dir, 'cache')
    const source = join(dir, 'big.bin')
    const digest = await writeRandomFile(source, SIZE)
    const share = startCli(['share', source, '--json', ...network.net()], { BITSWARM_CACHE_DIR: cacheDir })
    let ready = JSON.parse(await share.nextLine()) as Event
    while (ready.event !== 'ready') ready = JSON.parse(await share.nextLine()) as Event
    expect(ready.pieceSize).toBe(PIECE)
    const out = join(dir, 'out')
    const get = (extra: string[] = []): string[] => [String(ready.link), '-o', out, ...extra, ...network.net()]

    const plan: Array<{ crashAt: string | null, args?: string[] }> = [
      // Slowed so the first timed checkpoint (RESUME_CHECKPOINT_MS) comes mid-download.
      { crashAt: 'record-write:2', args: ['--download-limit', '16M'] },
      { crashAt: `piece-write:${20 + Math.floor(random() * 100)}` },
      { crashAt: `piece-write:${20 + Math.floor(random() * 100)}` },
      { crashAt: 'before-rename:1' },
      { crashAt: 'after-rename:1' },
      { crashAt: null }
    ]
    let heldAtKill = 0
    const figures: string[] = []
    for (const [i, step] of plan.entries()) {
      const run = await runGet(get(step.args), step.crashAt, cacheDir)
      const resumed = run.events.find((e) => e.event === 'resumed') as { have: number, trusted: number, checked: number } | undefined
      const checking = run.events.filter((e) => e.event === 'checking')
      if (i === 0) {
        expect(resumed).toBeUndefined() // a fresh download: nothing to resume
      } else {
        expect(resumed, run.stderr).toBeDefined()
        // Every piece whose write had completed before the kill is held, not fetched again.
        expect(resumed!.have).toBeGreaterThanOrEqual(heldAtKill)
        // Nothing re-hashed, no `checking` event. (Re-hashing may also end before the CLI
        // listens: `checking` is not replayed, `resumed` is.)
        if (resumed!.checked === 0) expect(checking).toEqual([])
        else if (checking.length > 0) expect(checking.at(-1)).toMatchObject({ pieces: resumed!.checked, pieceCount: resumed!.checked })
        figures.push(`run ${i + 1}: held ${resumed!.have}/1024 (trusted ${resumed!.trusted}, re-hashed ${resumed!.checked})`)
      }
      if (step.crashAt !== null) {
        expect(run.signal, run.stderr).toBe('SIGKILL')
        expect(run.crash?.point).toBe(step.crashAt.split(':')[0])
        heldAtKill = run.crash!.held
        continue
      }
      expect(run.code, run.stderr).toBe(0)
      const done = run.events.at(-1)!
      expect(done).toMatchObject({ event: 'done', path: join(out, 'big.bin'), downloaded: 0 })
      expect(await sha256File(join(out, 'big.bin'))).toBe(digest)
      expect(await readdir(out)).toEqual(['big.bin'])
    }
    // After the kill before the rename, and after the one right after it: every piece
    // trusted from the record, nothing re-hashed, nothing fetched.
    expect(figures.slice(-2)).toEqual([
      'run 5: held 1024/1024 (trusted 1024, re-hashed 0)',
      'run 6: held 1024/1024 (trusted 1024, re-hashed 0)'
    ])

    share.kill('SIGTERM')
    const lines: Event[] = []
    for (;;) {
      const line = await share.nextLine().catch(() => null)
      if (line === null) break
      lines.push(JSON.parse(line) as Event)
    }
    expect((await share.exit).code).toBe(0)
    const uploaded = lines.find((e) => e.event === 'summary')!.uploaded as number
    const refetched = uploaded - SIZE
    console.log(`resume after SIGKILL (seed ${SEED}): ${plan.map((s) => s.crashAt ?? 'to the end').join(', ')}; ` +
      `${figures.join('; ')}; sent by the seeder ${(uploaded / MiB).toFixed(1)} MiB for ${SIZE / MiB} MiB (${(refetched / MiB).toFixed(1)} MiB again)`)
    // What a kill loses is at most what was in flight: requests outstanding with the one peer
    // and pieces still being assembled, plus the piece being written.
    expect(refetched).toBeLessThanOrEqual(3 * (MAX_INFLIGHT_BYTES + MAX_PARTIAL_BYTES + PIECE))
  }, 120_000)

  it('refuses a link planted inside an existing partial folder, writing nothing through it', async () => {
    const dir = network.dir.path
    const cacheDir = join(dir, 'cache')
    const folder = join(dir, 'album')
    await mkdir(join(folder, 'sub'), { recursive: true })
    await writeRandomFile(join(folder, 'sub', 'a.bin'), 2 * MiB)
    await writeRandomFile(join(folder, 'b.bin'), 2 * MiB)
    const share = startCli(['share', folder, ...network.net()], { BITSWARM_CACHE_DIR: cacheDir })
    const link = await share.nextLine()
    const out = join(dir, 'out-link')
    const first = await runGet([link, '-o', out, ...network.net()], 'piece-write:3', cacheDir)
    expect(first.signal).toBe('SIGKILL')

    // Someone plants a link where the partial has a folder, to a folder of theirs.
    const partial = join(out, 'album' + PARTIAL_SUFFIX)
    const victim = join(dir, 'victim')
    await mkdir(victim)
    await writeFile(join(victim, 'a.bin'), 'precious')
    await rename(join(partial, 'sub'), join(dir, 'sub-moved'))
    await symlink(victim, join(partial, 'sub'))
    const refused = await runCli(['get', link, '-o', out, ...network.net()], { BITSWARM_CACHE_DIR: cacheDir })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`${join(partial, 'sub')} is a symbolic link`)
    expect(refused.stderr).toContain('[ERR_SYMLINK]')
    expect(await readFile(join(victim, 'a.bin'), 'utf8')).toBe('precious')
    expect(await readdir(victim)).toEqual(['a.bin'])
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })
})
