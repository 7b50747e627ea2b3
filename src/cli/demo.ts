// `bitswarm demo`: a whole swarm on this machine, watched live, then a table of who gave
// whom, the comparison with client–server at the same limits, and every copy verified.

import { closed, invalidOption } from '../errors.js'
import { parseByteSize } from '../metadata/piece-size.js'
import { SwarmDemo, type DemoResult } from '../demo/swarm-demo.js'
import type { SessionEvents } from '../session/events.js'
import type { Session } from '../session/session.js'
import { type DemoFacts, type DemoNodeView, renderDemoScreen, renderWhoGaveWhom, seederShare } from './demo-screen.js'
import { EXIT_FAILURE, EXIT_INTERRUPTED } from './fail.js'
import { formatBytes, formatPercent } from './format.js'
import { chooseMode } from './output-mode.js'
import { guardedStderr, writeErr, writeOut } from './output.js'
import { stopExitCode, untilStopped } from './signals.js'
import { colourEnabled } from './view/colour.js'
import { usableWidth } from './view/screen.js'
import { createViewState, piecesHeld, reduce, type ViewState } from './view/state.js'
import { TerminalView } from './view/terminal-view.js'

/** Limits that make a default demo last 20–40 s: 8 MiB to 6 downloaders has a swarm bound of
 *  max(F/u_s, N·F/(u_s + N·u_i)) = 24 s, and client–server would need N·F/u_s = 96 s. */
export const DEMO_SEEDER_UPLOAD = 512 * 1024
export const DEMO_DOWNLOADER_UPLOAD = 256 * 1024
export const DEMO_PEERS = 6
export const DEMO_SIZE = '8M'
const MAX_DEMO_PEERS = 32
const PLAIN_INTERVAL_MS = 2_000
/** The demo gives up (exit 1) if it runs this much past its swarm bound (or this long, --fast). */
const SLACK_MS = 60_000

const SESSION_EVENTS: ReadonlyArray<keyof SessionEvents> = [
  'status', 'metadata', 'peer-add', 'peer-remove', 'piece-verified', 'piece-failed', 'stats', 'peer-stats', 'done', 'warning'
]

export interface DemoFlags {
  peers?: string
  size?: string
  file?: string
  fast?: boolean
}

export async function demo (flags: DemoFlags): Promise<number> {
  const peers = Number(flags.peers ?? DEMO_PEERS)
  if (!Number.isInteger(peers) || peers < 1 || peers > MAX_DEMO_PEERS) throw invalidOption(`--peers needs a whole number from 1 to ${MAX_DEMO_PEERS}, not "${flags.peers}"`)
  const size = parseByteSize(flags.size ?? DEMO_SIZE)
  if (size === 0) throw invalidOption('--size must be above zero')
  const fast = flags.fast === true
  const facts: DemoFacts = { peers, fileBytes: size, seederUpload: fast ? 0 : DEMO_SEEDER_UPLOAD, downloaderUpload: fast ? 0 : DEMO_DOWNLOADER_UPLOAD, startedAt: Date.now() }
  const swarm = new SwarmDemo({ peers, size, ...(flags.file !== undefined ? { file: flags.file } : {}), seederUpload: facts.seederUpload, downloaderUpload: facts.downloaderUpload })
  const stop = untilStopped((reason) => stopExitCode(reason, EXIT_INTERRUPTED))
  const mode = chooseMode({ json: false }, process.stdout.isTTY === true, process.stderr.isTTY === true)
  const colour = colourEnabled(process.env, process.stderr.isTTY === true)
  let view: TerminalView | null = null
  let ticker: NodeJS.Timeout | null = null
  try {
    writeErr(`starting a bootstrap node, a seeder and ${peers} downloaders on 127.0.0.1…\n`)
    const nodes = await swarm.start()
    const views: DemoNodeView[] = nodes.map((n) => ({ name: n.name, id: n.id, state: watch(n.session, n.role === 'seeder' ? 'share' : 'get') }))
    if (flags.file !== undefined) facts.fileBytes = nodes[0]!.session.meta!.totalBytes
    facts.startedAt = Date.now()
    if (mode === 'terminal') {
      view = new TerminalView(guardedStderr(), (s) => renderDemoScreen(views, facts, Date.now(), usableWidth(s.columns), colour).slice(0, s.rows))
      view.start()
    } else {
      ticker = setInterval(() => writeErr(plainLine(views, facts) + '\n'), PLAIN_INTERVAL_MS)
    }
    const finished = swarm.finish()
    finished.catch(() => {}) // handled below
    const outcome = await Promise.race([finished, stop.reason, giveUp(swarm, fast)])
    view?.stop()
    if (ticker !== null) clearInterval(ticker)
    if ('kind' in outcome) return stopExitCode(outcome, EXIT_INTERRUPTED)
    for (const line of report(views, outcome)) writeOut(line + '\n')
    return [...outcome.verified.values()].every(Boolean) ? 0 : EXIT_FAILURE
  } finally {
    view?.stop()
    if (ticker !== null) clearInterval(ticker)
    await swarm.close()
    stop.dispose()
  }
}

/** A view state folded from one session's events. */
function watch (session: Session, role: 'get' | 'share'): ViewState {
  const state = createViewState(role, session.link, Date.now())
  // A share knows its content before anyone listens: start from it.
  const meta = session.meta
  if (meta !== null) {
    reduce(state, { type: 'metadata', data: { infoHash: session.infoHash.toString('hex'), name: meta.name, totalBytes: meta.totalBytes, pieceCount: meta.pieceCount, pieceSize: meta.pieceSize } })
    reduce(state, { type: 'stats', data: session.stats() })
  }
  for (const type of SESSION_EVENTS) session.on(type, (data) => reduce(state, { type, data } as never))
  return state
}

function giveUp (swarm: SwarmDemo, fast: boolean): Promise<never> {
  return new Promise((_resolve, reject) => {
    const bound = swarm.bounds().swarmBound
    const ms = (fast || bound === null ? 0 : 2 * bound * 1000) + SLACK_MS
    setTimeout(() => reject(closed(`the demo (not complete after ${Math.round(ms / 1000)} s)`)), ms).unref()
  })
}

function plainLine (views: DemoNodeView[], facts: DemoFacts): string {
  const seconds = ((Date.now() - facts.startedAt) / 1000).toFixed(0).padStart(3)
  const nodes = views.slice(1).map((v) => `${v.name} ${v.state.content === null ? '–' : formatPercent(piecesHeld(v.state), v.state.content.pieceCount)}`)
  return `${seconds}s  ${nodes.join('  ')}  seeder's share of uploads ${seederShare(views)}`
}

function report (views: DemoNodeView[], result: DemoResult): string[] {
  const seconds = new Map([...result.done].map(([name, d]) => [name, d.seconds]))
  const lines = ['', ...renderWhoGaveWhom(views, seconds), '']
  lines.push(`all downloaders complete in ${result.seconds.toFixed(1)} s; the seeder sent ${seederShare(views)} of all bytes uploaded`)
  if (result.swarmBound !== null && result.clientServerBound !== null) {
    lines.push(`lower bound for a swarm at these limits: ${result.swarmBound.toFixed(1)} s (measured ${(result.seconds / result.swarmBound).toFixed(2)}×);` +
      ` client–server would need at least ${result.clientServerBound.toFixed(1)} s: ${(result.clientServerBound / result.seconds).toFixed(1)}× slower`)
  }
  const bad = [...result.verified].filter(([, ok]) => !ok).map(([name]) => name)
  lines.push(bad.length === 0
    ? `verified: all ${result.verified.size} copies match the source (sha256 ${result.sourceDigest.slice(0, 16)}…, ${formatBytes(views[0]!.state.content?.totalBytes ?? 0)})`
    : `MISMATCH: ${bad.join(', ')} differ from the source`)
  return lines
}
