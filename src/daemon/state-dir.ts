// The daemon's state folder: what it seeds and downloads (shares.json), its lock (daemon.pid),
// its control socket (daemon.sock) and the token that opens it (token). Readable by the user
// alone: anyone who can read the token can make the daemon share any file the user can read.

import { mkdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { insecureState, notWritable } from '../errors.js'

export interface StatePaths {
  dir: string
  registry: string
  lock: string
  socket: string
  token: string
}

/** `--state`, else $BITSWARM_STATE, else $XDG_DATA_HOME/bitswarm, else ~/.local/share/bitswarm. */
export function stateDirOf (flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) return resolve(flag)
  if (env.BITSWARM_STATE !== undefined && env.BITSWARM_STATE !== '') return resolve(env.BITSWARM_STATE)
  const data = env.XDG_DATA_HOME !== undefined && env.XDG_DATA_HOME !== '' ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share')
  return join(data, 'bitswarm')
}

export function statePaths (dir: string): StatePaths {
  return { dir, registry: join(dir, 'shares.json'), lock: join(dir, 'daemon.pid'), socket: join(dir, 'daemon.sock'), token: join(dir, 'token') }
}

/** Creates the folder (0700) if missing; refuses one that others may enter or that another
 *  user owns (ERR_INSECURE_STATE). */
export async function openStateDir (dir: string): Promise<StatePaths> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (err) {
    throw notWritable(dir, err)
  }
  const info = await stat(dir)
  if (!info.isDirectory()) throw notWritable(dir, new Error('not a folder'))
  const uid = process.getuid?.()
  if ((info.mode & 0o077) !== 0) throw insecureState(dir, `others may open it (mode ${(info.mode & 0o777).toString(8)}; chmod 700 it)`)
  if (uid !== undefined && info.uid !== uid) throw insecureState(dir, `it belongs to user ${info.uid}, not to you`)
  return statePaths(dir)
}
