// Benchmark case "daemon": one `bitswarm daemon` seeding many small shares. Reports how long
// adding them takes (through the daemon's API, as `bitswarm add` does), the daemon's memory
// with all of them, and a restart: from spawn to its `ready` line, and to every share back
// and seeding (all from the metadata cache: nothing is hashed again). Everything on a
// bootstrap node of its own on 127.0.0.1; stops by itself.

import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { callDaemon } from '../../src/daemon/api-client.js'
import type { ShareRow } from '../../src/daemon/share-row.js'
import { statePaths } from '../../src/daemon/state-dir.js'
import { forEachLimited } from '../../src/storage/concurrent.js'
import { BITSWARM, startProcess, stopByPid } from './processes.js'

const STARTUP_MS = 60_000
/** Adds in flight at once, as several `bitswarm add` would be. */
const ADDS_AT_ONCE = 8
/** How long the restarted daemon may take to have every share seeding. */
const RESTORE_MS = 600_000
const MiB = 2 ** 20

export interface DaemonScaleResult {
  shares: number
  addSeconds: number
  rssWithAll: number
  restartReadySeconds: number
  restartAllSeedingSeconds: number
  rssAfterRestart: number
  hashedAfterRestart: number
}

export async function daemonScaleCase (o: { shares: number, workDir: string, log: (line: string) => void }): Promise<DaemonScaleResult> {
  const files = join(o.workDir, 'daemon-files')
  const state = join(o.workDir, 'daemon-state')
  await mkdir(files, { recursive: true })
  await mkdir(state, { recursive: true, mode: 0o700 })
  for (let i = 0; i < o.shares; i++) await writeFile(join(files, `s${i}.txt`), `share ${i}\n`.repeat(50))
  const boot = startProcess(BITSWARM, ['bootstrap', '--host', '127.0.0.1', '--port', '0'])
  const started = [boot]
  try {
    const address = await boot.nextLine(STARTUP_MS)
    const net = ['--bootstrap', address, '--host', '127.0.0.1']
    const paths = statePaths(state)
    let daemon = startProcess(BITSWARM, ['daemon', '--state', state, '--json', ...net])
    started.push(daemon)
    await daemon.nextLine(STARTUP_MS)
    const addStart = performance.now()
    await forEachLimited(o.shares, ADDS_AT_ONCE, async (i) => { await callDaemon(paths, 'POST', '/shares', { path: join(files, `s${i}.txt`) }) })
    const addSeconds = (performance.now() - addStart) / 1000
    const rssWithAll = await daemon.peakRss()
    o.log(`  daemon: ${o.shares} shares added in ${addSeconds.toFixed(1)} s, RSS ${(rssWithAll / MiB).toFixed(0)} MiB`)
    await stopByPid(daemon, o.log)
    started.pop()

    const restartAt = performance.now()
    daemon = startProcess(BITSWARM, ['daemon', '--state', state, '--json', ...net])
    started.push(daemon)
    await daemon.nextLine(RESTORE_MS)
    const restartReadySeconds = (performance.now() - restartAt) / 1000
    const rows = await callDaemon(paths, 'GET', '/shares') as ShareRow[]
    const seeding = rows.filter((r) => r.state === 'seeding').length
    if (seeding !== o.shares) throw new Error(`after the restart ${seeding} of ${o.shares} shares are seeding`)
    const restartAllSeedingSeconds = (performance.now() - restartAt) / 1000
    const result = {
      shares: o.shares,
      addSeconds,
      rssWithAll,
      restartReadySeconds,
      restartAllSeedingSeconds,
      rssAfterRestart: await daemon.peakRss(),
      hashedAfterRestart: rows.reduce((sum, r) => sum + r.hashedBytes, 0)
    }
    return result
  } finally {
    for (const proc of started.reverse()) await stopByPid(proc, o.log)
    await rm(files, { recursive: true, force: true })
    await rm(state, { recursive: true, force: true })
  }
}

export function formatDaemonScale (r: DaemonScaleResult): string {
  return [
    `daemon: one \`bitswarm daemon\` seeding ${r.shares} small shares on 127.0.0.1`,
    `adding them (API, ${ADDS_AT_ONCE} at once)   ${r.addSeconds.toFixed(1)} s (${(r.addSeconds * 1000 / r.shares).toFixed(1)} ms a share)`,
    `daemon peak RSS with all              ${(r.rssWithAll / MiB).toFixed(0)} MiB`,
    `restart: spawn to ready, all seeding  ${r.restartReadySeconds.toFixed(1)} s (bytes hashed again: ${r.hashedAfterRestart})`,
    `peak RSS after the restart            ${(r.rssAfterRestart / MiB).toFixed(0)} MiB`
  ].join('\n')
}
