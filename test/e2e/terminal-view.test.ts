// The live view as a person sees it: `bitswarm get` and `share` under a real
// pseudo-terminal against a seeding process on a local bootstrap, and the same commands
// with their output piped (plain lines, no escape codes).

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { startInPty } from '../helpers/pty.js'
import type { VirtualTerminal } from '../helpers/virtual-terminal.js'

const MiB = 1024 * 1024
const SIZE = 3 * MiB + 777
/** 97 pieces, sent at 1 MiB/s: a download of a few seconds, long enough to watch. */
const SHARE_FLAGS = ['--piece-size', '32K', '--upload-limit', '1M']
const ESCAPE = /\x1b/

const overallBar = (l: string): boolean => /^█*░+ \d{1,2}% /.test(l)
const pieceMap = (columns: number) => (l: string): boolean => l.length === columns - 1 && /^[█▓▒░·]+$/.test(l) && /[▓▒░·]/.test(l)
const peerRow = (l: string): boolean => /^[0-9a-f]{6,8} +\d/.test(l)

/** The overall bar, the piece map and a peer row on the screen at the same moment. */
const midDownload = (columns: number) => (s: VirtualTerminal): boolean => {
  const lines = s.lines()
  // The title too: between the metadata and the storage being open, the map shows but the
  // status still reads "fetching metadata".
  return s.altScreen && /^downloading /.test(lines[0] ?? '') && lines.some(overallBar) && lines.some(pieceMap(columns)) && lines.some(peerRow)
}

describe('terminal view end to end', () => {
  const network = useCliNetwork()
  const net = network.net

  async function seeder (name: string): Promise<{ link: string, digest: string, stop: () => Promise<void> }> {
    const source = join(network.dir.path, name)
    const digest = await writeRandomFile(source, SIZE)
    const share = startCli(['share', source, '--quiet', ...SHARE_FLAGS, ...net()])
    const link = await share.nextLine()
    return {
      link,
      digest,
      stop: async () => {
        share.kill('SIGTERM')
        expect((await share.exit).code).toBe(0)
      }
    }
  }

  it.each([[100, 30], [40, 20]])('get at %i×%i columns: bar, piece map and peer rows while downloading, the summary at the end', async (columns, rows) => {
    const { link, digest, stop } = await seeder(`movie-${columns}.bin`)
    const outDir = join(network.dir.path, `pty-${columns}`)
    const get = startInPty(['get', link, '-o', outDir, ...net()], { columns, rows })
    try {
      const frame = await get.waitForScreen(midDownload(columns), 'the bar, the piece map and a peer row')
      expect(frame.length).toBeLessThanOrEqual(rows)
      expect(frame[0]).toMatch(/^downloading +movie-\d+\.bin/)
      expect(frame.join('')).toContain(link)

      expect((await get.exit).code).toBe(0)
      const screen = get.screen
      expect(screen.altScreen).toBe(false)
      expect(screen.cursorVisible).toBe(true)
      expect(screen.autowrap).toBe(true)
      expect(screen.altOverflows).toBe(0) // nothing of the view ever went past the right edge
      expect(screen.styled).toBe(true) // colours on a terminal, NO_COLOR and FORCE_COLOR unset
      const summary = screen.mainLines().join('\n')
      expect(summary).toMatch(/✔ movie-\d+\.bin complete/)
      expect(summary).toMatch(/saved to +\//)
      expect(summary).toMatch(/downloaded +3\.00 MiB/)
      expect(summary).toMatch(/ratio +0\.00/)
      expect(summary).toMatch(/peers +1 contributed/)
      expect(summary).toMatch(/from others +0%/)
      expect(summary).toMatch(/hash failures 0/)
      expect(await sha256File(join(outDir, `movie-${columns}.bin`))).toBe(digest)
    } finally {
      get.kill()
      await stop()
    }
  })

  it('share: rows show what each peer fetches; it adapts to a resize; Ctrl-C leaves a clean screen and a summary', async () => {
    const source = join(network.dir.path, 'seeded.bin')
    await writeRandomFile(source, SIZE)
    const share = startInPty(['share', source, ...SHARE_FLAGS, ...net()], { columns: 100, rows: 30 }, { NO_COLOR: '1' })
    try {
      const LINK = /bitswarm:\/\/[0-9a-f]{64}\?dn=seeded\.bin/
      const first = await share.waitForScreen((s) => s.altScreen && s.lines().some((l) => l.startsWith('seeding')) && LINK.test(s.lines().join('')), 'the seeding view')
      const link = first.join('').match(LINK)![0]
      const get = runCli(['get', link, '-o', join(network.dir.path, 'from-pty-share'), '--quiet', ...net()])
      // The downloader's row: pieces sent to it, it is interested, and we serve it.
      const serving = (l: string): boolean => /^[0-9a-f]{8} .* 0 +[1-9]\d* +\d+% .*serving/.test(l)
      await share.waitForScreen((s) => s.lines().some(serving), 'a row for the peer being served')
      expect((await get).code).toBe(0)

      await share.resize(60, 16)
      const narrow = await share.waitForScreen((s) => s.lines().some((l) => l.length === 59 && /^█+$/.test(l)), 'the piece map at 60 columns')
      const overflowsAfterResize = share.screen.altOverflows
      expect(narrow.every((l) => l.length < 60)).toBe(true)

      share.type('\x03')
      expect((await share.exit).code).toBe(0)
      const screen = share.screen
      expect(screen.altOverflows).toBe(overflowsAfterResize)
      expect(screen.altScreen).toBe(false)
      expect(screen.cursorVisible).toBe(true)
      expect(screen.styled).toBe(false) // NO_COLOR
      const main = screen.mainLines().join('\n')
      expect(main.startsWith(link.slice(0, 59))).toBe(true) // the link stays above, for copying
      expect(main).toMatch(/■ stopped sharing\s+seeded\.bin/)
      expect(main, main).toMatch(/uploaded +3\.00 MiB/)
      expect(main).toMatch(/peers +0 contributed,\s+1 fetched from us/)
    } finally {
      share.kill()
    }
  })

  it('with standard output piped: plain status lines and a plain summary, no escape codes', async () => {
    const { link, stop } = await seeder('piped.bin')
    try {
      const result = await runCli(['get', link, '-o', join(network.dir.path, 'piped'), ...net()], { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm-256color' })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toBe('')
      expect(result.stderr).not.toMatch(ESCAPE)
      const lines = result.stderr.trim().split('\n')
      expect(lines).toContain('piped.bin: 3.00 MiB in 97 pieces of 32.0 KiB')
      expect(lines.some((l) => /^peer [0-9a-f]{8} connected$/.test(l))).toBe(true)
      expect(lines.some((l) => /^\d+% \(\d+\/97 pieces\) .*↓ .*↑ .*peers?$/.test(l))).toBe(true)
      expect(lines).toContain('✔ piped.bin complete')
      expect(lines.some((l) => /^ +from others +0% of the bytes came from peers other than the original seeder$/.test(l))).toBe(true)

      const quiet = await runCli(['get', link, '-o', join(network.dir.path, 'quiet'), '--quiet', ...net()])
      expect(quiet.code, quiet.stderr).toBe(0)
      expect(quiet.stdout).toBe(join(network.dir.path, 'quiet', 'piped.bin') + '\n')
      expect(quiet.stderr).toBe('')

      const json = await runCli(['get', link, '-o', join(network.dir.path, 'json'), '--json', ...net()])
      const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string, [k: string]: unknown })
      const peers = events.filter((e) => e.event === 'peers')
      expect(peers.length).toBeGreaterThan(0)
      expect((peers.at(-1)!.peers as Array<{ seed: boolean }>)[0]).toMatchObject({ seed: true })
      expect(events.at(-2)).toMatchObject({ event: 'summary', outcome: 'complete', downloaded: SIZE, contributors: 1, fromOthers: 0, hashFailures: 0 })
      expect(events.at(-1)!.event).toBe('done')
    } finally {
      await stop()
    }
  })
})
