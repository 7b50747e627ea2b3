// `get -o -`: the content of a single-file share on standard output, in order, byte-exact;
// the temporary folder it downloads through goes with the command; a folder share, --json
// or --seed is refused in one line; a reader that leaves early ends it with 141.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXIT_FAILURE, EXIT_OUTPUT_CLOSED } from '../../src/cli/fail.js'
import { BIN, runCli, runCliIntoPipe, startCli, useCliNetwork } from '../helpers/cli.js'
import { writeRandomFile } from '../helpers/files.js'

const MiB = 1024 * 1024

/** Runs the CLI with TMPDIR set; resolves with its status, the SHA-256 and length of its
 *  standard output (bytes, not text) and its standard error. */
async function runForBytes (args: string[], tmp: string): Promise<{ code: number | null, sha256: string, bytes: number, stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } })
  const hash = createHash('sha256')
  let bytes = 0
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { hash.update(c); bytes += c.byteLength })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const [code] = await once(child, 'close') as [number | null]
  return { code, sha256: hash.digest('hex'), bytes, stderr }
}

describe('get -o - (standard output)', () => {
  const network = useCliNetwork()
  const net = network.net

  async function seed (path: string, extra: string[] = []): Promise<{ link: string, stop: () => Promise<void> }> {
    const share = startCli(['share', path, '--quiet', ...extra, ...net()])
    const link = await share.nextLine()
    return { link, stop: async () => { share.kill('SIGTERM'); expect((await share.exit).code).toBe(0) } }
  }

  it('writes the whole file in order, byte-exact, and leaves no temporary folder', async () => {
    const source = join(network.dir.path, 'movie.bin')
    const digest = await writeRandomFile(source, 5 * MiB + 321)
    const tmp = join(network.dir.path, 'tmp-whole')
    await mkdir(tmp)
    const { link, stop } = await seed(source)
    try {
      const run = await runForBytes(['get', link, '-o', '-', ...net()], tmp)
      expect(run.code, run.stderr).toBe(0)
      expect(run.bytes).toBe(5 * MiB + 321)
      expect(run.sha256).toBe(digest)
      expect(run.stderr).toMatch(/✔ movie\.bin complete/)
      expect(await readdir(tmp)).toEqual([])
    } finally {
      await stop()
    }
  })

  it('refuses a folder share in one line, with nothing on standard output', async () => {
    const folder = join(network.dir.path, 'album')
    await mkdir(folder)
    await writeFile(join(folder, 'a.txt'), 'a')
    await writeFile(join(folder, 'b.txt'), 'b')
    const tmp = join(network.dir.path, 'tmp-folder')
    await mkdir(tmp)
    const { link, stop } = await seed(folder)
    try {
      const run = await runForBytes(['get', link, '-o', '-', '--quiet', ...net()], tmp)
      expect(run.code).toBe(EXIT_FAILURE)
      expect(run.bytes).toBe(0)
      expect(run.stderr).toBe('bitswarm: -o - writes one file\'s content, and "album" is a folder of 2 files: give -o a folder [ERR_INVALID_OPTION]\n')
      expect(await readdir(tmp)).toEqual([])
    } finally {
      await stop()
    }
  })

  it('refuses --json and --seed with -o - before any network work', async () => {
    const link = 'bitswarm://' + 'ab'.repeat(32)
    const json = await runCli(['get', link, '-o', '-', '--json'])
    expect(json.code).toBe(EXIT_FAILURE)
    expect(JSON.parse(json.stdout)).toMatchObject({ event: 'error', code: 'ERR_INVALID_OPTION' })
    const seedRun = await runCli(['get', link, '-o', '-', '--seed'])
    expect(seedRun.code).toBe(EXIT_FAILURE)
    expect(seedRun.stderr).toMatch(/^bitswarm: --seed needs the content kept in a folder.*\[ERR_INVALID_OPTION\]\n$/)
  })

  it('a reader that leaves early (| head -c 1000) ends it with 141, quietly', async () => {
    const source = join(network.dir.path, 'slow.bin')
    await writeRandomFile(source, 3 * MiB)
    const { link, stop } = await seed(source, ['--upload-limit', '512K'])
    try {
      const run = await runCliIntoPipe(['get', link, '-o', '-', '--quiet', ...net()], { reader: 'head -c 1000 | wc -c' })
      expect(run.code, run.stderr).toBe(EXIT_OUTPUT_CLOSED)
      expect(run.stdout.trim()).toBe('1000')
      expect(run.stderr).not.toMatch(/\n\s+at |EPIPE|Error/)
    } finally {
      await stop()
    }
  })
})
