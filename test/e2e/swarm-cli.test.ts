// The built CLI as a small swarm of separate processes: a downloader killed with SIGKILL
// (no goodbye, its connections just go silent) must not stall the others.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'

const MiB = 1024 * 1024

describe('bitswarm CLI swarm', () => {
  const network = useCliNetwork()
  const net = network.net

  it('two gets complete byte-identical while a third is killed with SIGKILL a quarter of the way in', async () => {
    const source = join(network.dir.path, 'data.bin')
    const digest = await writeRandomFile(source, 3 * MiB)
    const share = startCli(['share', source, '--quiet', '--piece-size', '32K', '--upload-limit', '1M', ...net()])
    const link = await share.nextLine()

    const victim = startCli(['get', link, '-o', join(network.dir.path, 'victim'), '--json', ...net()])
    const gets = ['one', 'two'].map((name) => runCli(['get', link, '-o', join(network.dir.path, name), '--json', ...net()]))
    for (;;) {
      const event = JSON.parse(await victim.nextLine(30_000)) as { event: string, have?: number, pieces?: number }
      if (event.event === 'progress' && event.pieces! > 0 && event.have! >= event.pieces! / 4) break
    }
    victim.kill('SIGKILL')
    expect((await victim.exit).signal).toBe('SIGKILL')

    for (const [i, result] of (await Promise.all(gets)).entries()) {
      expect(result.code, result.stderr).toBe(0)
      const done = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { event: string, path: string }
      expect(done.event).toBe('done')
      expect(done.path).toBe(join(network.dir.path, ['one', 'two'][i]!, 'data.bin'))
      expect(await sha256File(done.path)).toBe(digest)
    }
    share.kill('SIGTERM')
    expect((await share.exit).code).toBe(0)
  })
})
