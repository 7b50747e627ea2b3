// How the long-running commands end when their output goes away or someone insists: a
// pipe's reader that exits (`| head -1`) ends them quietly with 141, as SIGPIPE ends other
// programs; a close that hangs is cut short; a second signal exits at once.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED } from '../../src/cli/fail.js'
import { STOP_DEADLINE_MS } from '../../src/cli/signals.js'
import { type CliProcess, runCliIntoPipe, startCli, useCliNetwork } from '../helpers/cli.js'
import { tempDir, type TempDir, writeRandomFile } from '../helpers/files.js'

const MiB = 1024 * 1024
/** 3 MiB at 256 KiB/s: a download of ~12 s, still running when the reader exits. */
const SLOW_SHARE = ['--upload-limit', '256K']
/** A crash, a stack trace or the write error, on standard error. */
const NOT_QUIET = /\n\s+at |EPIPE|Error/

describe('a command whose output is closed by its reader', () => {
  const network = useCliNetwork()
  const net = network.net

  async function slowSeeder (name: string): Promise<{ link: string, stop: () => Promise<void> }> {
    const source = join(network.dir.path, name)
    await writeRandomFile(source, 3 * MiB)
    const share = startCli(['share', source, '--quiet', ...SLOW_SHARE, ...net()])
    const link = await share.nextLine()
    return {
      link,
      stop: async () => {
        share.kill('SIGTERM')
        expect((await share.exit).code).toBe(0)
      }
    }
  }

  it('share --json | head -1: the first line (hashing progress), then exit 141 and nothing on standard error', async () => {
    const source = join(network.dir.path, 'shared.bin')
    await writeRandomFile(source, 64 * 1024)
    const run = await runCliIntoPipe(['share', source, '--json', ...net()])
    expect(run.code, run.stderr).toBe(EXIT_OUTPUT_CLOSED)
    expect(run.signal).toBeNull()
    expect(run.stderr).toBe('')
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ event: 'hashing', totalBytes: 64 * 1024 })
  })

  it('get --json | head -1 mid-download: exit 141 at once, quietly, the download left to resume', async () => {
    const { link, stop } = await slowSeeder('slow.bin')
    try {
      const outDir = join(network.dir.path, 'head-json')
      const run = await runCliIntoPipe(['get', link, '-o', outDir, '--json', ...net()])
      expect(run.code, run.stderr).toBe(EXIT_OUTPUT_CLOSED)
      expect(run.stderr).not.toMatch(NOT_QUIET)
      expect(run.stderr).toBe('')
      expect(run.stdout.trim().split('\n')).toHaveLength(1)
      expect(JSON.parse(run.stdout)).toHaveProperty('event')
      expect(existsSync(join(outDir, 'slow.bin'))).toBe(false) // not complete: it stopped
    } finally {
      await stop()
    }
  })

  it('get 2>&1 | head -1: the same when the closed pipe is standard error (its plain lines)', async () => {
    const { link, stop } = await slowSeeder('slow-text.bin')
    try {
      const outDir = join(network.dir.path, 'head-text')
      const run = await runCliIntoPipe(['get', link, '-o', outDir, ...net()], { both: true })
      expect(run.code).toBe(EXIT_OUTPUT_CLOSED)
      expect(run.stdout.trim().split('\n')).toHaveLength(1)
      expect(run.stdout).not.toMatch(NOT_QUIET)
      expect(existsSync(join(outDir, 'slow-text.bin'))).toBe(false)
    } finally {
      await stop()
    }
  })
})

describe('stopping while the DHT does not answer', () => {
  let dir: TempDir | null = null
  beforeAll(async () => { dir = await tempDir() })
  afterAll(async () => { await dir?.remove() })

  // A bootstrap node of its own, frozen (SIGSTOP) once the share is announced: the share's
  // goodbye to the DHT (unannouncing) then waits for answers that never come (~8 s).
  async function frozenShare (name: string): Promise<{ share: CliProcess, cleanUp: () => Promise<void> }> {
    const bootstrap = startCli(['bootstrap', '--host', '127.0.0.1', '--port', '0'])
    const address = await bootstrap.nextLine()
    const source = join(dir!.path, name)
    await writeRandomFile(source, 64 * 1024)
    const share = startCli(['share', source, '--bootstrap', address, '--host', '127.0.0.1'])
    await share.nextLine() // the link
    await share.waitForStderr((e) => e.includes('announced on the DHT'), 'the share announced')
    bootstrap.kill('SIGSTOP')
    return {
      share,
      cleanUp: async () => {
        share.kill('SIGKILL')
        bootstrap.kill('SIGCONT')
        bootstrap.kill('SIGTERM')
        expect((await bootstrap.exit).code).toBe(0)
      }
    }
  }

  it(`a close that hangs is cut short after ${STOP_DEADLINE_MS / 1000} s, with the share's own status (0) and one line`, async () => {
    const { share, cleanUp } = await frozenShare('frozen.bin')
    try {
      const start = Date.now()
      share.kill('SIGTERM')
      const { code } = await share.exit
      const elapsed = Date.now() - start
      expect(code).toBe(0)
      expect(elapsed).toBeGreaterThanOrEqual(STOP_DEADLINE_MS - 100)
      expect(elapsed).toBeLessThan(STOP_DEADLINE_MS + 2_000)
      expect(share.stderr()).toMatch(/■ stopped sharing/) // the summary came before the close
      expect(share.stderr().trim().split('\n').at(-1)).toBe(`bitswarm: not closed after ${STOP_DEADLINE_MS / 1000} s; exiting`)
    } finally {
      await cleanUp()
    }
  })

  it('a second SIGINT while closing exits at once, with 130 instead of the clean 0', async () => {
    const { share, cleanUp } = await frozenShare('twice.bin')
    try {
      share.kill('SIGINT')
      // The summary is printed right before the close begins.
      await share.waitForStderr((e) => e.includes('hash failures'), 'the summary of the first stop')
      const second = Date.now()
      share.kill('SIGINT')
      const { code } = await share.exit
      expect(code).toBe(EXIT_INTERRUPTED)
      expect(Date.now() - second).toBeLessThan(1_000)
      expect(share.stderr()).not.toContain('not closed after')
    } finally {
      await cleanUp()
    }
  })
})
