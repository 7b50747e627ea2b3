// `--open`: the user's media player started on the stream's URL, detached from bitswarm so
// closing one leaves the other running. A player that is missing or cannot start is an
// outcome to report, never a reason to stop streaming: the URL can still be opened by hand.

import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { type ErrorCode, noPlayer, playerFailed } from '../errors.js'

/** Tried in this order when --open names no player. */
export const PLAYERS = ['mpv', 'vlc', 'xdg-open'] as const

/** What `--open` came to: the `player` JSON event, a line for people. */
export interface PlayerOutcome {
  /** The executable started (or that failed to start); null when none was found. */
  player: string | null
  /** The names looked for, in order (--open <player>: that one). */
  tried: string[]
  /** The file opened, by its path in the share, and its URL. */
  file: string
  url: string
  started: boolean
  /** Why not: ERR_NO_PLAYER (none found) or ERR_PLAYER_FAILED (it could not be started). */
  error?: { code: ErrorCode, message: string }
}

/** The first of `names` that is an executable: a name with a slash is a path (from the working
 *  folder), any other is looked for on `path`, as a shell does. Null when none is. */
export function findPlayer (names: readonly string[], path: string | undefined): string | null {
  for (const name of names) {
    const candidates = name.includes('/') ? [resolve(name)] : (path ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, name))
    for (const candidate of candidates) {
      try {
        accessSync(candidate, constants.X_OK)
        if (statSync(candidate).isFile()) return candidate // a folder is "executable" too
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

/** `--open` (true: the first of PLAYERS found) or `--open <player>`, on `file`'s URL. */
export async function startPlayer (wanted: true | string, file: { path: string, url: string }, path: string | undefined): Promise<PlayerOutcome> {
  const tried = wanted === true || wanted === '' ? [...PLAYERS] : [wanted]
  const player = findPlayer(tried, path)
  const outcome = { player, tried, file: file.path, url: file.url }
  if (player === null) return { ...outcome, started: false, error: codeAndMessage(noPlayer(tried, file.url)) }
  const failed = await openPlayer(player, file.url)
  if (failed !== null) return { ...outcome, started: false, error: codeAndMessage(playerFailed(player, file.url, failed)) }
  return { ...outcome, started: true }
}

/** The outcome as a line for people: what was opened, or the warning. */
export function playerLine (outcome: PlayerOutcome): string {
  return outcome.started ? `opened ${outcome.file} in ${outcome.player ?? ''}` : `warning: ${outcome.error?.message ?? `could not open ${outcome.url}`}`
}

const codeAndMessage = (err: { code: ErrorCode, message: string }): { code: ErrorCode, message: string } => ({ code: err.code, message: err.message })
