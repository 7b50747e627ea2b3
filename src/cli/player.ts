// `--open`: the user's media player started on the stream's URL, detached from bitswarm so
// closing one leaves the other running.

import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/** Tried in this order when --open names no player. */
export const PLAYERS = ['mpv', 'vlc', 'xdg-open'] as const

/** The first of `names` that is an executable on `path` (or the absolute path given), or null. */
export function findPlayer (names: readonly string[], path: string | undefined): string | null {
  for (const name of names) {
    const candidates = isAbsolute(name) ? [name] : (path ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, name))
    for (const candidate of candidates) {
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {}
    }
  }
  return null
}

/** Starts `player url`; resolves once it started, with the error when it could not. */
export async function openPlayer (player: string, url: string): Promise<Error | null> {
  return await new Promise((resolve) => {
    const child = spawn(player, [url], { detached: true, stdio: 'ignore' })
    child.once('error', (err) => resolve(err))
    child.once('spawn', () => {
      child.unref()
      resolve(null)
    })
  })
}
