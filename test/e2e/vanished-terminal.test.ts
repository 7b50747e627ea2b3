// A terminal that goes away under a running command: its window closed, its SSH connection
// dropped. Every write to it then fails (EIO). A command it sent no SIGHUP to (a background
// job, a shell that ignores SIGHUP) goes on quietly and still stops on SIGINT and SIGTERM;
// SIGHUP, what the terminal's own process gets, stops it cleanly too.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_INTERRUPTED } from '../../src/cli/fail.js'
import { runCli, startCli, startCliOnTerminal, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { openTerminal } from '../helpers/pty.js'

const MiB = 1024 * 1024
const SIZE = { columns: 100, rows: 30 }
/** Well under the 5 s deadline: the clean close ended it, not the deadline. */
const PROMPT_MS = 3_000

describe('a vanished terminal', () => {
  const network = useCliNetwork()
  const net = network.net

  /** A share drawing its view on a terminal, which is then hung up. */
  async function shareOnVanishedTerminal (name: string): Promise<{ share: ReturnType<typeof startCliOnTerminal>, source: string, digest: string }> {
    const source = join(network.dir.path, name)
    const digest = await writeRandomFile(source, 2 * MiB)
    const terminal = await openTerminal(SIZE)
    const share = startCliOnTerminal(['share', source, ...net()], terminal.fd, { NO_COLOR: '1' })
    await terminal.waitForScreen((s) => s.altScreen && s.lines().some((l) => l.startsWith('seeding')), 'the seeding view')
    await terminal.hangUp()
    return { share, source, digest }
  }

  it('share goes on serving, quietly; SIGTERM then ends it cleanly (exit 0) within seconds', async () => {
    const { share, digest } = await shareOnVanishedTerminal('orphan.bin')
    try {
      const link = await linkOf(join(network.dir.path, 'orphan.bin'))
      // Its view redraws the peer row into the dead terminal while it serves.
      const get = await runCli(['get', link, '-o', join(network.dir.path, 'from-orphan'), '--json', ...net()])
      expect(get.code, get.stderr).toBe(0)
      expect(await sha256File(join(network.dir.path, 'from-orphan', 'orphan.bin'))).toBe(digest)

      const start = Date.now()
      share.kill('SIGTERM')
      // Not 134: Node aborts at exit when it restores a hung-up terminal's settings.
      expect(await share.exit).toEqual({ code: 0, signal: null })
      expect(Date.now() - start).toBeLessThan(PROMPT_MS)
    } finally {
      share.kill('SIGKILL')
    }
  })

  it('SIGHUP, what the terminal\'s own process is sent, stops a share cleanly (exit 0)', async () => {
    const { share } = await shareOnVanishedTerminal('hangup.bin')
    try {
      const start = Date.now()
      share.kill('SIGHUP')
      expect(await share.exit).toEqual({ code: 0, signal: null })
      expect(Date.now() - start).toBeLessThan(PROMPT_MS)
    } finally {
      share.kill('SIGKILL')
    }
  })

  it('get mid-download: SIGINT still ends it within seconds (exit 130), the partial kept for resuming', async () => {
    const source = join(network.dir.path, 'slow.bin')
    await writeRandomFile(source, 3 * MiB)
    const seeder = startCli(['share', source, '--quiet', '--upload-limit', '256K', ...net()])
    const link = await seeder.nextLine()
    const outDir = join(network.dir.path, 'orphan-get')
    const terminal = await openTerminal(SIZE)
    const get = startCliOnTerminal(['get', link, '-o', outDir, ...net()], terminal.fd, { NO_COLOR: '1' })
    try {
      await terminal.waitForScreen((s) => s.lines().some((l) => /^█*░+ [1-9]\d?% /.test(l)), 'the download under way')
      await terminal.hangUp() // the view goes on redrawing five times a second, into EIO
      const start = Date.now()
      get.kill('SIGINT')
      expect(await get.exit).toEqual({ code: EXIT_INTERRUPTED, signal: null })
      expect(Date.now() - start).toBeLessThan(PROMPT_MS)
      expect(existsSync(join(outDir, 'slow.bin.bitswarm-part'))).toBe(true)
      expect(existsSync(join(outDir, 'slow.bin'))).toBe(false)
    } finally {
      get.kill('SIGKILL')
      seeder.kill('SIGTERM')
      expect((await seeder.exit).code).toBe(0)
    }
  })
})

async function linkOf (path: string): Promise<string> {
  const info = await runCli(['info', path, '--json'])
  return (JSON.parse(info.stdout) as { link: string }).link
}
