// One daemon per state folder: daemon.pid, created exclusively. A lock left by a daemon that
// died (SIGKILL, a crash) names a process that no longer runs: it is taken over.

import { open, readFile, rm } from 'node:fs/promises'
import { daemonRunning } from '../errors.js'

export interface Lock { release: () => Promise<void> }

export async function acquireLock (path: string): Promise<Lock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      return { release: async () => { await rm(path, { force: true }) } }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim())
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw daemonRunning(pid)
    // Stale: its process is gone. Removed, and created afresh on the next attempt (if
    // another daemon starting now wins that race, this one sees its live pid).
    await rm(path, { force: true })
  }
  throw daemonRunning(null)
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
