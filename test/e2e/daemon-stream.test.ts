// `bitswarm play`: the daemon serves its shares over HTTP while they download, as separate
// processes on a private testnet. An upload-limited seeder shares a file and a folder; the
// daemon downloads both; a middle range of the file arrives byte-exact before the download is
// complete, then the whole file, while a file of the folder share streams beside it (two
// shares at once, each under its own prefix). A paused share answers 503 and is served again
// at the same URL once resumed; a removed share answers 404. Errors: one line, stable code.

import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { argumentsOf, fakePlayer } from '../helpers/fake-player.js'

const MiB = 1024 * 1024

interface StreamEvent { event: string, infoHash: string, url: string, files: Array<{ path: string, size: number, url: string }>, file: string, fileUrl: string }
interface Row { id: string, name: string, state: string, have: number, pieces: number }

describe('bitswarm play (the daemon streaming)', () => {
  const network = useCliNetwork()

  it('streams two shares at once while they download; pause answers 503 until resumed, rm answers 404', async () => {
    const dir = network.dir.path
    const state = join(dir, 'state')
    const clip = randomBytes(12 * MiB + 777)
    await writeFile(join(dir, 'clip.mp4'), clip)
    await mkdir(join(dir, 'album'))
    const song = randomBytes(3 * MiB + 5)
    const notes = randomBytes(1 * MiB + 3)
    await writeFile(join(dir, 'album', 'song.mp3'), song)
    await writeFile(join(dir, 'album', 'notes.txt'), notes)
    const seeder = startCli(['share', join(dir, 'clip.mp4'), join(dir, 'album'), '--quiet', '--upload-limit', '2M', ...network.net()])
    const daemon = startCli(['daemon', '--state', state, '--json', ...network.net()])
    const cli = async (...args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> => await runCli([...args, '--state', state])
    const play = async (...args: string[]): Promise<StreamEvent> => {
      const out = await cli('play', ...args, '--json')
      expect(out.code, out.stderr).toBe(0)
      return JSON.parse(out.stdout) as StreamEvent
    }
    const get = async (url: string, range?: string): Promise<{ status: number, body: Buffer }> => {
      const res = await fetch(url, range === undefined ? {} : { headers: { Range: range } })
      return { status: res.status, body: Buffer.from(await res.arrayBuffer()) }
    }
    try {
      const links = [await seeder.nextLine(), await seeder.nextLine()]
      await daemon.nextLine()
      const out = join(dir, 'out')
      await mkdir(out)
      const ids: string[] = []
      for (const link of links) {
        const added = await cli('add', link, '-o', out, '--json')
        expect(added.code, added.stderr).toBe(0)
        ids.push((JSON.parse(added.stdout) as Row).id)
      }

      // The file: a middle range while it downloads, byte-exact.
      const a = await play(ids[0]!.slice(0, 8))
      expect(a).toMatchObject({ event: 'stream', infoHash: ids[0], file: 'clip.mp4', url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${ids[0]!}$`)) as string })
      expect(a.files).toEqual([{ path: 'clip.mp4', size: clip.length, url: a.fileUrl }])
      const middle = await get(a.fileUrl, 'bytes=6000000-6099999')
      expect(middle.status).toBe(206)
      expect(middle.body.equals(clip.subarray(6000000, 6100000))).toBe(true)
      const rows = JSON.parse(`[${(await cli('ls', '--json')).stdout.trim().split('\n').join(',')}]`) as Row[]
      expect(rows[0]!.have).toBeLessThan(rows[0]!.pieces) // still downloading (2 MiB/s for 17 MiB)

      // The folder share beside it, its smaller file asked for (and so fetched first).
      const b = await play(ids[1]!, '--file', 'notes.txt')
      expect(b.file).toBe('notes.txt')
      expect(b.files.map((f) => [f.path, f.url])).toEqual([['notes.txt', `${b.url}/notes.txt`], ['song.mp3', `${b.url}/song.mp3`]])
      expect(new URL(b.url).port).toBe(new URL(a.url).port) // one server for both
      const [wholeClip, wholeNotes] = await Promise.all([get(a.fileUrl), get(b.fileUrl)])
      expect(wholeClip.status).toBe(200)
      expect(wholeClip.body.equals(clip)).toBe(true)
      expect(wholeNotes.body.equals(notes)).toBe(true)
      expect((await get(`${b.url}/song.mp3`, 'bytes=-500')).body.equals(song.subarray(song.length - 500))).toBe(true)

      // Errors: one line each, a stable code, exit 1.
      for (const [args, code] of [[['play', 'ffff0000'], 'ERR_UNKNOWN_SHARE'], [['play', ids[1]!, '--file', 'none.mp4'], 'ERR_NO_SUCH_FILE']] as const) {
        const refused = await cli(...args)
        expect(refused.code).toBe(1)
        expect(refused.stderr).toMatch(new RegExp(`^bitswarm: .*\\[${code}\\]\\n$`))
      }

      // Paused: 503 and play refused; resumed: served again at the same URL.
      expect((await cli('pause', ids[1]!.slice(0, 8))).code).toBe(0)
      const paused = await get(b.fileUrl)
      expect(paused.status).toBe(503)
      expect(paused.body.toString()).toMatch(/paused/)
      const refused = await cli('play', ids[1]!.slice(0, 8))
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/is paused: `bitswarm resume [0-9a-f]{8}` first \[ERR_NOT_RUNNING\]\n$/)
      expect((await cli('resume', ids[1]!.slice(0, 8))).code).toBe(0)
      const again = await play(ids[1]!.slice(0, 8))
      expect(again.fileUrl).toBe(b.fileUrl) // the file asked for before is still the one streamed
      expect((await get(b.fileUrl, 'bytes=1000-1999')).body.equals(notes.subarray(1000, 2000))).toBe(true)

      // --open: the player of `bitswarm stream --open`, with the same `player` event.
      const player = await fakePlayer(dir, 'myplayer')
      const opened = await cli('play', ids[1]!, '--file', 'song.mp3', '--open', player, '--json')
      expect(opened.code, opened.stderr).toBe(0)
      const [streamed, started] = opened.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(streamed).toMatchObject({ event: 'stream', file: 'song.mp3', fileUrl: `${b.url}/song.mp3` })
      expect(started).toEqual({ event: 'player', player, tried: [player], file: 'song.mp3', url: `${b.url}/song.mp3`, started: true })
      expect(await argumentsOf(player)).toEqual([`${b.url}/song.mp3`])
      const missing = await cli('play', ids[1]!, '--file', 'song.mp3', '--open', 'no-such-player-here')
      expect(missing.code).toBe(0) // the stream goes on: the URL can be opened by hand
      expect(missing.stderr).toContain(`warning: no player "no-such-player-here" found on PATH; open ${b.url}/song.mp3 yourself\n`)

      // Removed: 404; the other share streams on.
      expect((await cli('rm', ids[0]!.slice(0, 8))).code).toBe(0)
      const gone = await get(a.fileUrl, 'bytes=0-9')
      expect(gone.status).toBe(404)
      expect((await get(`${b.url}/song.mp3`)).body.equals(song)).toBe(true)
      expect(await readFile(join(out, 'album', 'notes.txt'))).toEqual(notes)
    } finally {
      daemon.kill('SIGTERM')
      seeder.kill('SIGTERM')
      expect((await daemon.exit).code).toBe(0)
      await seeder.exit
    }
  })
})
