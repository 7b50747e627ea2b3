// `bitswarm daemon` (run a long-lived node), `daemon stop`, and the commands that drive a
// running one: `add <link|path>`, `ls`, `rm <id>`, `pause`/`resume`, `watch`, `play`. They only parse and print; the daemon
// (src/daemon/) does the work.

import { resolve } from 'node:path'
import { callDaemon, followDaemon } from '../daemon/api-client.js'
import type { ShareRow } from '../daemon/share-row.js'
import type { ShareStream } from '../daemon/daemon-streams.js'
import type { SeedLimits } from '../daemon/seed-limits.js'
import { openStateDir, stateDirOf, statePaths } from '../daemon/state-dir.js'
import { invalidOption } from '../errors.js'
import { parseLink } from '../metadata/link.js'
import { formatBytes, formatPercent, formatRate } from './format.js'
import { type NetworkFlags, parsePort, parseSeconds, toNodeOptions } from './network-options.js'
import { guardedStderr, writeErr, writeOut } from './output.js'
import { colourEnabled } from './view/colour.js'
import { renderOverall } from './view/overall.js'
import { renderScreen } from './view/screen.js'
import { createViewState, reduce, type ViewEvent, type ViewState } from './view/state.js'
import { TerminalView } from './view/terminal-view.js'
import { playerLine, startPlayer } from './player.js'
import { jsonLine, printable } from './printable.js'
import { stopExitCode, untilStopped } from './signals.js'
import { type TransferFlags, toTransferOptions } from './transfer-options.js'

export interface StateFlags { state?: string, json?: boolean }
export interface SeedLimitFlags { seedRatio?: string, seedTime?: string }

/** --seed-ratio 2 (bytes up / size) and --seed-time 3600 (seconds), checked. */
function seedLimits (flags: SeedLimitFlags): SeedLimits {
  const limits: SeedLimits = {}
  if (flags.seedRatio !== undefined) {
    const ratio = Number(flags.seedRatio)
    if (!Number.isFinite(ratio) || ratio <= 0) throw invalidOption(`--seed-ratio wants a number above 0, not "${flags.seedRatio}"`)
    limits.ratio = ratio
  }
  if (flags.seedTime !== undefined) limits.seconds = parseSeconds(flags.seedTime)
  return limits
}

export async function daemon (action: string | undefined, flags: StateFlags & NetworkFlags & TransferFlags & SeedLimitFlags & { streamPort?: string }): Promise<number> {
  if (action === 'stop') {
    await callDaemon(statePaths(stateDirOf(flags.state)), 'POST', '/stop')
    return 0
  }
  if (action !== undefined) throw invalidOption(`unknown daemon action "${action}": run \`bitswarm daemon\` or \`bitswarm daemon stop\``)
  const streamPort = flags.streamPort === undefined ? 0 : parsePort(flags.streamPort, '--stream-port')
  const paths = await openStateDir(stateDirOf(flags.state))
  const options = { node: { ...toNodeOptions(flags), ...toTransferOptions(flags) }, limits: seedLimits(flags), streamPort }
  // Only the daemon itself loads the HyperDHT stack; its clients (add, ls, rm…) never do.
  const { Daemon } = await import('../daemon/daemon.js')
  const node = new Daemon(paths, options)
  const stop = untilStopped((reason) => stopExitCode(reason, 0))
  try {
    await node.start()
    writeOut(flags.json === true ? JSON.stringify({ event: 'ready', state: paths.dir, shares: node.list().length }) + '\n' : `daemon running; state in ${printable(paths.dir)}\n`)
    await Promise.race([node.stopped, stop.reason])
    return 0
  } finally {
    await node.close()
    stop.dispose()
  }
}

/** `add <link|path>`: a link is downloaded into `-o` (default: here), a path is seeded. */
export async function add (target: string, flags: StateFlags & SeedLimitFlags & { output?: string }): Promise<number> {
  const paths = statePaths(stateDirOf(flags.state))
  const isLink = target.startsWith('bitswarm:') || /^[0-9a-f]{64}$/i.test(target)
  if (isLink) parseLink(target)
  const limits = seedLimits(flags)
  const body = { ...(isLink ? { link: target, output: resolve(flags.output ?? '.') } : { path: resolve(target) }), limits }
  const row = await callDaemon(paths, 'POST', '/shares', body) as ShareRow
  writeOut(flags.json === true ? JSON.stringify(row) + '\n' : `${row.id.slice(0, 8)}  ${printable(row.name ?? target)}\n`)
  return 0
}

export async function ls (flags: StateFlags): Promise<number> {
  const rows = await callDaemon(statePaths(stateDirOf(flags.state)), 'GET', '/shares') as ShareRow[]
  if (flags.json === true) {
    for (const row of rows) writeOut(JSON.stringify(row) + '\n')
    return 0
  }
  if (rows.length === 0) {
    writeErr('the daemon has no shares: add one with `bitswarm add <link|path>`\n')
    return 0
  }
  writeOut(['id      ', 'name'.padEnd(24), 'size'.padStart(10), 'done'.padStart(6), '↓'.padStart(11), '↑'.padStart(11), 'peers', 'state'].join(' ') + '\n')
  for (const r of rows) {
    writeOut([
      r.id.slice(0, 8),
      printable(r.name ?? '–').slice(0, 24).padEnd(24),
      formatBytes(r.size).padStart(10),
      (r.pieces > 0 ? formatPercent(r.have, r.pieces) : '–').padStart(6),
      formatRate(r.downloadRate).padStart(11),
      formatRate(r.uploadRate).padStart(11),
      String(r.peers).padStart(5),
      r.state
    ].join(' ') + '\n')
  }
  return 0
}

export async function rm (id: string, flags: StateFlags & { deleteData?: boolean }): Promise<number> {
  await callDaemon(statePaths(stateDirOf(flags.state)), 'DELETE', `/shares/${encodeURIComponent(id)}${flags.deleteData === true ? '?data=1' : ''}`)
  return 0
}

/** `pause <id>` / `resume <id>`: stop or start trading one share, remembered across restarts. */
export async function pauseOrResume (action: 'pause' | 'resume', id: string, flags: StateFlags): Promise<number> {
  const row = await callDaemon(statePaths(stateDirOf(flags.state)), 'POST', `/shares/${encodeURIComponent(id)}/${action}`) as ShareRow
  writeOut(flags.json === true ? JSON.stringify(row) + '\n' : `${row.id.slice(0, 8)}  ${printable(row.name ?? row.id)}  ${row.state}\n`)
  return 0
}

/** `play <id|link>`: the daemon serves the share over HTTP while it downloads (`--file` first);
 *  prints the streamed file's URL (`--json`: the `stream` event of `bitswarm stream --json`),
 *  and with `--open` starts a player on it. The daemon keeps serving after this returns. */
export async function play (target: string, flags: StateFlags & { file?: string, open?: boolean | string }): Promise<number> {
  // A link names its share by its info hash: the daemon must have it already (`add`).
  const id = target.includes(':') ? parseLink(target).infoHash.toString('hex') : target
  const stream = await callDaemon(statePaths(stateDirOf(flags.state)), 'POST', `/shares/${encodeURIComponent(id)}/stream`, flags.file !== undefined ? { file: flags.file } : {}) as ShareStream
  if (flags.json === true) writeOut(jsonLine({ event: 'stream', ...stream }))
  else {
    writeOut(stream.fileUrl + '\n')
    writeErr(`streaming ${printable(stream.file)}${stream.files.length > 1 ? `; every file (${stream.files.length}): ${stream.url}/` : ''}\n`)
  }
  if (flags.open === undefined || flags.open === false) return 0
  // As `bitswarm stream --open`: the same outcome, as a `player` event or a line.
  const outcome = await startPlayer(flags.open, { path: stream.file, url: stream.fileUrl }, process.env.PATH)
  if (flags.json === true) writeOut(jsonLine({ event: 'player', ...outcome }))
  else writeErr(printable(playerLine(outcome)) + '\n')
  return 0
}

/** `watch <id>`: the live view of one of the daemon's shares, from its event stream (the
 *  same events as `get --json` watches, caught up first); `--json` passes them on as lines. */
export async function watch (id: string, flags: StateFlags): Promise<number> {
  const paths = statePaths(stateDirOf(flags.state))
  const stop = untilStopped((reason) => stopExitCode(reason, 0))
  const controller = new AbortController()
  void stop.reason.then(() => controller.abort())
  let view: TerminalView | null = null
  let state: ViewState | null = null
  let lastLine = 0
  try {
    await followDaemon(paths, `/shares/${encodeURIComponent(id)}/events`, (value) => {
      const event = value as ViewEvent
      if (flags.json === true) {
        writeOut(JSON.stringify(value) + '\n')
        return
      }
      if (state === null) {
        const seeding = event.type === 'status' && event.data.status === 'seeding'
        state = createViewState(seeding ? 'share' : 'get', `bitswarm://${id}`, Date.now())
        if (process.stdout.isTTY === true && process.stderr.isTTY === true) {
          const shown = state
          view = new TerminalView(guardedStderr(), (size) => renderScreen(shown, size, colourEnabled(process.env, true)))
          view.start()
        }
      }
      reduce(state, event)
      if (view === null && event.type === 'stats' && Date.now() - lastLine >= PLAIN_LINE_MS) {
        lastLine = Date.now()
        writeErr(renderOverall(state, PLAIN_WIDTH, false).join(' ') + '\n')
      }
    }, controller.signal)
    return 0
  } finally {
    (view as TerminalView | null)?.stop()
    stop.dispose()
  }
}

/** Plain `watch` (not a terminal): a status line at most this often, this wide. */
const PLAIN_LINE_MS = 1_000
const PLAIN_WIDTH = 100
