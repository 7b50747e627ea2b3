// Start-up cost: parsing the command line and the daemon's clients do not load the HyperDHT
// stack (150–210 ms of each start, issue 14); the networked commands do. Observed with a
// preload script that reports, at exit, which of its packages were loaded.

import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { type TempDir, tempDir } from '../helpers/files.js'

const run = promisify(execFile)
const NODE_MODULE = new URL('../../dist/node.js', import.meta.url).href

const PROBE = `process.on('exit', () => {
  const loaded = new Set(Object.keys(require.cache).map((k) => /node_modules\\/(hyperdht|hyperswarm)\\//.exec(k)?.[1]).filter(Boolean))
  require('node:fs').writeSync(2, 'loaded: ' + [...loaded].sort().join(',') + '\\n')
})`

describe('CLI start-up', () => {
  let dir: TempDir
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    dir = await tempDir()
    const probe = join(dir.path, 'probe.cjs')
    await writeFile(probe, PROBE)
    env = { NODE_OPTIONS: `--require ${probe}`, BITSWARM_STATE: join(dir.path, 'state') }
  })
  afterAll(async () => { await dir.remove() })

  const loadedBy = async (args: string[]): Promise<{ code: number | null, loaded: string }> => {
    const result = await runCli(args, env)
    return { code: result.code, loaded: /^loaded: (.*)$/m.exec(result.stderr)?.[1] ?? 'no report' }
  }

  it('--help, usage errors, a bad link and `ls` without a daemon load neither hyperdht nor hyperswarm', async () => {
    expect(await loadedBy(['--help'])).toEqual({ code: 0, loaded: '' })
    expect(await loadedBy(['get', 'a'.repeat(64), '--bootstrap', 'nonsense'])).toEqual({ code: 1, loaded: '' })
    expect(await loadedBy(['info', 'not-a-link'])).toEqual({ code: 1, loaded: '' })
    const ls = await loadedBy(['ls'])
    expect(ls.code).not.toBe(0)
    expect(ls.loaded).toBe('')
  })

  it('the probe sees them when the node is loaded (so an empty report means something)', async () => {
    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(NODE_MODULE)})`], { env: { ...process.env, ...env } })
    expect(/^loaded: (.*)$/m.exec(stderr)?.[1]).toBe('hyperdht,hyperswarm')
  })
})
