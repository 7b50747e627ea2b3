// `--open`: which player is found, and what starting it comes to (a fake player that records
// its arguments; one whose interpreter is missing).

import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPlayer, startPlayer } from '../../../src/cli/player.js'
import { tempDir, type TempDir } from '../../helpers/files.js'
import { waitUntil } from '../../helpers/poll.js'

describe('--open players', () => {
  let dir: TempDir
  let a = ''
  let b = ''
  const file = { path: 'film/a movie.mp4', url: 'http://127.0.0.1:8000/film/a%20movie.mp4' }

  async function script (folder: string, name: string, body: string, mode = 0o755): Promise<string> {
    await mkdir(folder, { recursive: true })
    const path = join(folder, name)
    await writeFile(path, body)
    await chmod(path, mode)
    return path
  }

  beforeAll(async () => {
    dir = await tempDir()
    a = join(dir.path, 'a')
    b = join(dir.path, 'b')
    await script(a, 'vlc', '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$0.args.tmp" && mv "$0.args.tmp" "$0.args"\n')
    await script(a, 'mpv', '#!/bin/sh\n', 0o644) // not executable: passed over
    await mkdir(join(b, 'mpv'), { recursive: true }) // a folder: passed over
    await script(b, 'broken', '#!/nonexistent/interpreter\n')
  })
  afterAll(async () => await dir.remove())

  it('finds the first name that is an executable file, on PATH in order, or by a path', () => {
    const path = [b, a].join(delimiter)
    expect(findPlayer(['mpv', 'vlc'], path)).toBe(join(a, 'vlc'))
    expect(findPlayer(['mpv'], path)).toBe(null)
    expect(findPlayer(['broken', 'vlc'], path)).toBe(join(b, 'broken'))
    expect(findPlayer([join(a, 'vlc')], '')).toBe(join(a, 'vlc'))
    expect(findPlayer(['vlc'], undefined)).toBe(null)
  })

  it('starts the player on the URL, its only argument', async () => {
    const outcome = await startPlayer(true, file, a)
    expect(outcome).toEqual({ player: join(a, 'vlc'), tried: ['mpv', 'vlc', 'xdg-open'], file: file.path, url: file.url, started: true })
    // Detached: nothing announces it ran but the file it leaves.
    await waitUntil(() => existsSync(join(a, 'vlc.args')), 10_000, 'the player to run')
    expect(await readFile(join(a, 'vlc.args'), 'utf8')).toBe(file.url + '\n')
  })

  it('none found, or one that cannot start: not started, with the code and the URL to open by hand', async () => {
    const none = await startPlayer(true, file, b)
    expect(none).toEqual({ player: null, tried: ['mpv', 'vlc', 'xdg-open'], file: file.path, url: file.url, started: false, error: none.error })
    expect(none.error).toEqual({ code: 'ERR_NO_PLAYER', message: `no player found on PATH (tried mpv, vlc, xdg-open); open ${file.url} yourself` })
    expect((await startPlayer('celluloid', file, a)).error).toEqual({ code: 'ERR_NO_PLAYER', message: `no player "celluloid" found on PATH; open ${file.url} yourself` })
    expect((await startPlayer('/no/such/player', file, a)).error?.message).toBe(`no player "/no/such/player" found; open ${file.url} yourself`)
    const broken = await startPlayer('broken', file, b)
    expect(broken).toMatchObject({ player: join(b, 'broken'), started: false, error: { code: 'ERR_PLAYER_FAILED' } })
    expect(broken.error?.message).toMatch(new RegExp(`^could not start ${join(b, 'broken')}: .+; open ${file.url.replace(/[.?]/g, '\\$&')} yourself$`))
  })
})
