// `bitswarm stream --open`: the player is started on the URL of the file streamed (a fake
// `mpv` on PATH records what it was given), `--open <player>` starts that one, and a player
// that is missing is one clear line (or a `player` event) while the stream goes on serving.

import { mkdir, readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, startCli, useCliNetwork } from '../helpers/cli.js'
import { writeRandomFile } from '../helpers/files.js'
import { argumentsOf, fakePlayer } from '../helpers/fake-player.js'
import { jsonEvents } from '../helpers/json-events.js'

const MiB = 1024 * 1024

async function bytesAt (url: string, range?: [number, number]): Promise<Buffer> {
  const res = await fetch(url, range === undefined ? {} : { headers: { Range: `bytes=${range[0]}-${range[1]}` } })
  expect(res.status).toBe(range === undefined ? 200 : 206)
  return Buffer.from(await res.arrayBuffer())
}

describe('bitswarm stream --open (separate processes)', () => {
  const network = useCliNetwork()
  let share: CliProcess | null = null
  let link = ''
  let video = Buffer.alloc(0)
  let notes = Buffer.alloc(0)
  let bin = ''
  let outs = 0
  const streams: CliProcess[] = []

  beforeAll(async () => {
    const root = join(network.dir.path, 'show')
    await mkdir(join(root, 'film'), { recursive: true })
    // The text file is the larger: the video is streamed (and opened) because it is a video.
    await writeRandomFile(join(root, 'notes.txt'), 3 * MiB + 5)
    await writeRandomFile(join(root, 'film', 'a movie.mp4'), 2 * MiB + 11)
    video = await readFile(join(root, 'film', 'a movie.mp4'))
    notes = await readFile(join(root, 'notes.txt'))
    bin = join(network.dir.path, 'bin')
    await mkdir(bin)
    share = startCli(['share', root, '--quiet', ...network.net()])
    link = await share.nextLine()
  })

  afterAll(async () => {
    share?.kill('SIGTERM')
    await share?.exit
  })

  /** A stream process of the share, stopped (by its PID) after the test. */
  function stream (args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
    const cli = startCli(['stream', link, '-o', join(network.dir.path, `out-${++outs}`), ...args, ...network.net()], env)
    streams.push(cli)
    return cli
  }

  afterAll(async () => {
    for (const cli of streams) cli.kill('SIGTERM')
    await Promise.all(streams.map(async (cli) => await cli.exit))
  })

  it('--open starts the first player on PATH (mpv) on the URL of the video, which serves it byte-exact', async () => {
    const mpv = await fakePlayer(bin, 'mpv')
    const cli = stream(['--open', '--json'], { PATH: bin + delimiter + (process.env.PATH ?? '') })
    const events = jsonEvents(cli)
    const { event: served } = await events.next((e) => e.event === 'stream', 'the stream event')
    expect(served.file).toBe('film/a movie.mp4')
    expect(served.fileUrl).toBe(`${String(served.url)}/film/a%20movie.mp4`)
    const { event: player } = await events.next((e) => e.event === 'player', 'the player event')
    expect(player).toEqual({ event: 'player', player: mpv, tried: ['mpv', 'vlc', 'xdg-open'], file: 'film/a movie.mp4', url: served.fileUrl, started: true })
    const args = await argumentsOf(mpv)
    expect(args).toEqual([served.fileUrl])
    expect((await bytesAt(args[0]!)).equals(video)).toBe(true)
  })

  it('--open <player> starts that player, on the file --file names', async () => {
    await fakePlayer(bin, 'mpv') // on PATH too: it must not be the one started
    const mine = await fakePlayer(bin, 'myplayer')
    const cli = stream(['--open', 'myplayer', '--file', 'notes.txt', '--json'], { PATH: bin + delimiter + (process.env.PATH ?? '') })
    const events = jsonEvents(cli)
    const { event: served } = await events.next((e) => e.event === 'stream', 'the stream event')
    expect(served.file).toBe('notes.txt')
    const { event: player } = await events.next((e) => e.event === 'player', 'the player event')
    expect(player).toMatchObject({ player: mine, tried: ['myplayer'], url: served.fileUrl, started: true })
    const args = await argumentsOf(mine)
    expect(args).toEqual([served.fileUrl])
    expect((await bytesAt(args[0]!, [1000, 2 * MiB])).equals(notes.subarray(1000, 2 * MiB + 1))).toBe(true)
  })

  it('no player on PATH: one warning line naming the URL, and the stream goes on', async () => {
    const empty = join(network.dir.path, 'no-players')
    await mkdir(empty, { recursive: true })
    const cli = stream(['--open'], { PATH: empty })
    const said = await cli.waitForStderr((err) => err.includes('no player'), 'the missing player')
    const url = /streaming film\/a movie\.mp4 at (\S+)/.exec(said)?.[1]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/film\/a%20movie\.mp4$/)
    const lines = said.split('\n').filter((line) => line.includes('player'))
    expect(lines).toEqual([`warning: no player found on PATH (tried mpv, vlc, xdg-open); open ${url!} yourself`])
    expect((await bytesAt(url!, [MiB, MiB + 99_999])).equals(video.subarray(MiB, MiB + 100_000))).toBe(true)
    expect(cli.child.exitCode).toBe(null)
  })

  it('--open <missing player> --json: a `player` event with ERR_NO_PLAYER, and the stream goes on', async () => {
    const cli = stream(['--open', 'nosuchplayer', '--json'], { PATH: bin })
    const events = jsonEvents(cli)
    const { event: served } = await events.next((e) => e.event === 'stream', 'the stream event')
    const { event: player } = await events.next((e) => e.event === 'player', 'the player event')
    expect(player).toEqual({
      event: 'player',
      player: null,
      tried: ['nosuchplayer'],
      file: 'film/a movie.mp4',
      url: served.fileUrl,
      started: false,
      error: { code: 'ERR_NO_PLAYER', message: `no player "nosuchplayer" found on PATH; open ${String(served.fileUrl)} yourself` }
    })
    expect((await bytesAt(served.fileUrl as string)).equals(video)).toBe(true)
    expect(cli.child.exitCode).toBe(null)
    expect(cli.stderr()).toBe('')
  })
})
