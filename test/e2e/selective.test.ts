// `get --only / --exclude` as a user runs it: only the chosen files arrive, byte-identical;
// a selection that matches nothing is one coded line and exit 1, with nothing written.

import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'

const KiB = 1024

describe('get --only / --exclude', () => {
  const network = useCliNetwork()

  it('fetches the files the patterns choose, and refuses a selection of nothing', async () => {
    const root = join(network.dir.path, 'season')
    await mkdir(join(root, 'subs'), { recursive: true })
    const digests: Record<string, string> = {}
    for (const [path, size] of [['ep1.mkv', 700 * KiB], ['ep2.mkv', 650 * KiB + 7], ['subs/ep1.srt', 3 * KiB], ['subs/ep2.srt', 4 * KiB]] as const) {
      digests[path] = await writeRandomFile(join(root, path), size)
    }
    const share = startCli(['share', root, '--quiet', ...network.net()])
    try {
      const link = await share.nextLine()
      const out = join(network.dir.path, 'out')
      const got = await runCli(['get', link, '-o', out, '--only', 'ep2.*', '--only', 'subs', '--exclude', 'ep1.srt', '--quiet', ...network.net()])
      expect(got.code, got.stderr).toBe(0)
      expect(got.stdout).toBe(join(out, 'season') + '\n')
      expect((await readdir(join(out, 'season'))).sort()).toEqual(['ep2.mkv', 'subs'])
      expect(await readdir(join(out, 'season', 'subs'))).toEqual(['ep2.srt'])
      for (const path of ['ep2.mkv', 'subs/ep2.srt']) expect(await sha256File(join(out, 'season', path))).toBe(digests[path])

      const none = join(network.dir.path, 'none')
      const empty = await runCli(['get', link, '-o', none, '--only', '*.mp3', ...network.net()])
      expect(empty.code).toBe(1)
      expect(empty.stderr.trim().split('\n').at(-1)).toBe('bitswarm: --only / --exclude leave none of the 4 files of "season" to download [ERR_EMPTY_SELECTION]')
      expect(await readdir(none)).toEqual([])
    } finally {
      share.kill('SIGTERM')
      expect((await share.exit).code).toBe(0)
    }
  })
})
