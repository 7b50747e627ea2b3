// `bitswarm share a b c`: one process, one node, three links (in the order given, a path
// given twice is one share), each fetched byte-identical by its own `get`.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'

const KiB = 1024

describe('share <path...>', () => {
  const network = useCliNetwork()

  it('seeds three paths from one process; each link fetched byte-identical; --json events name their share', async () => {
    const names = ['a.bin', 'b.bin', 'c.bin']
    const paths = names.map((name) => join(network.dir.path, name))
    const digests = await Promise.all(paths.map(async (path, i) => await writeRandomFile(path, (i + 1) * 300 * KiB)))
    const share = startCli(['share', ...paths, paths[0]!, '--quiet', ...network.net()])
    try {
      const links = [await share.nextLine(), await share.nextLine(), await share.nextLine()]
      for (const [i, link] of links.entries()) expect(link).toMatch(new RegExp(`^bitswarm://[0-9a-f]{64}\\?dn=${names[i]!.replace('.', '\\.')}$`))
      for (const [i, link] of links.entries()) {
        const out = join(network.dir.path, `out${i}`)
        const got = await runCli(['get', link, '-o', out, '--quiet', ...network.net()])
        expect(got.code, got.stderr).toBe(0)
        expect(await sha256File(join(out, names[i]!))).toBe(digests[i])
      }
    } finally {
      share.kill('SIGTERM')
      expect((await share.exit).code).toBe(0)
    }

    const json = startCli(['share', paths[0]!, paths[1]!, '--json', ...network.net()])
    try {
      const ready: Array<Record<string, unknown>> = []
      while (ready.length < 2) {
        const event = JSON.parse(await json.nextLine()) as Record<string, unknown>
        if (event.event === 'ready') ready.push(event)
        if (event.event === 'progress') expect(event.infoHash).toMatch(/^[0-9a-f]{64}$/)
      }
      expect(ready.map((e) => e.name)).toEqual(['a.bin', 'b.bin'])
      expect(new Set(ready.map((e) => e.infoHash)).size).toBe(2)
    } finally {
      json.kill('SIGTERM')
      expect((await json.exit).code).toBe(0)
    }
  })
})
