// Renders a session's events in the command's output mode (output-mode.ts): routes each
// event of the node and of the watched session to what that mode shows of it. It only
// listens: every output is worked out from the events folded into a ViewState.

import type { BitswarmNode, LookupReport } from '../node.js'
import { replayEvents, VIEW_EVENTS } from '../session/event-replay.js'
import type { Session } from '../session/session.js'
import type { Listener, TypedEmitter } from '../typed-emitter.js'
import type { HashProgress } from '../piece-hashing.js'
import { toErrorReport } from './fail.js'
import { formatBytes, formatPercent } from './format.js'
import { JsonEvents } from './json-events.js'
import { describeReachability, explainNoPeers } from './no-peers.js'
import { guardedStderr, outputs, writeErr, writeOut } from './output.js'
import { chooseMode, type ModeOptions, type OutputMode } from './output-mode.js'
import { type PlayerOutcome, playerLine } from './player.js'
import { jsonLine, printable } from './printable.js'
import { skippedReport } from './skipped-report.js'
import { colourEnabled } from './view/colour.js'
import { renderContentLine, renderStatusLine } from './view/plain.js'
import { renderScreen, usableWidth } from './view/screen.js'
import { createViewState, type Ending, reduce, resumedNotice, type Role, type StreamShown, type ViewEvent, type ViewState } from './view/state.js'
import { renderSummary, summarize } from './view/summary.js'
import { TerminalView } from './view/terminal-view.js'

/** Plain status lines when standard error is not a terminal (logs, CI). */
const PLAIN_STATUS_INTERVAL_MS = 2_000
/** Lookups reported in plain mode: the third, then every tenth. */
const LOOKUP_REPORTED = (attempt: number): boolean => attempt === 3 || attempt % 10 === 0

export interface ReporterOptions extends ModeOptions {
  role?: Role
  /** One of several shares of the process: every JSON event names its info hash. */
  infoHash?: string
}

export class Reporter {
  private readonly opts: ReporterOptions
  readonly mode: OutputMode
  private readonly colour: boolean
  private state: ViewState | null = null
  private session: Session | null = null
  private view: TerminalView | null = null
  private readonly jsonEvents = new JsonEvents((name, fields) => this.event(name, fields))
  private lastPlainAt = 0
  private lastPlain = ''
  private lastHashLine = 0
  private stopped = false
  /** Removes every listener this reporter added, so nothing is printed after stop(). */
  private readonly unsubscribers: Array<() => void> = []

  constructor (opts: ReporterOptions) {
    this.opts = opts
    this.mode = chooseMode(opts, process.stdout.isTTY === true, process.stderr.isTTY === true)
    this.colour = colourEnabled(process.env, this.mode === 'terminal')
  }

  /** Data: one JSON event per line on standard output. */
  event (name: string, fields: Record<string, unknown>): void {
    if (this.mode === 'json') writeOut(jsonLine({ event: name, ...(this.opts.infoHash !== undefined ? { infoHash: this.opts.infoHash } : {}), ...fields }))
  }

  /** A message for people: in the view while it runs, else a line on standard error. It may
   *  name a path or carry a peer's words: escaped, it stays one line. */
  say (line: string): void {
    this.tell(printable(line))
  }

  /** A line already rendered from spans (escaped, maybe coloured). */
  private tell (line: string): void {
    if (this.mode === 'json' || this.mode === 'quiet') return
    if (this.view?.running === true && this.state !== null) reduce(this.state, { type: 'notice', data: { message: line } })
    else writeErr(line + '\n')
  }

  private announced: (() => void) | null = null

  private flushAnnounced (): void {
    const announce = this.announced
    this.announced = null
    announce?.()
  }

  /** The latest lookup that left the session alone: why there are no peers, if there are none. */
  lastLookup: LookupReport | null = null

  watchNode (node: BitswarmNode): void {
    const role = this.opts.role === 'share' ? 'share' : 'get'
    this.listen(node, 'lookup', (report) => {
      this.lastLookup = report
      const message = explainNoPeers(report, role)
      if (this.mode === 'json') {
        const { attempt, found, bootstrapReachable, nat, dhtNodes, relays, inbound } = report
        this.event('lookup', { attempt, found, bootstrapReachable, nat, dhtNodes, relays, inbound, message })
      } else if (this.view?.running === true && this.state !== null) reduce(this.state, { type: 'notice', data: { message } })
      else if (LOOKUP_REPORTED(report.attempt)) this.say(message)
    })
    this.listen(node, 'skipped', ({ entries }) => {
      const report = skippedReport(entries)
      if (this.mode === 'json') this.event('skipped', { ...report })
      else this.say(`warning: ${report.message}`)
    })
    this.listen(node, 'hashing', ({ path, ...progress }) => {
      if (this.mode === 'json') this.event('hashing', { ...progress })
      else if (this.mode !== 'quiet') this.progressLine('hashing', progress)
    })
    this.listen(node, 'announced', ({ topic, nat, relay }) => {
      if (role !== 'share') return
      // node.share() announces before it resolves: this waits until `ready` has gone out
      // (with several shares, each `ready` is its own reporter's and nothing waits).
      this.announced = () => {
        this.event('announced', { ...(this.opts.lines === true ? { topic } : {}), nat, relay })
        this.say(`announced on the DHT; ${describeReachability(nat, relay)}`)
      }
      if (this.session !== null || this.opts.lines === true) this.flushAnnounced()
    })
  }

  watch (session: Session, link: string): void {
    const state = createViewState(this.opts.role ?? 'get', link, Date.now())
    this.state = state
    this.session = session
    for (const type of VIEW_EVENTS) {
      this.listen(session, type, (data: unknown) => this.apply({ type, data } as ViewEvent))
    }
    this.catchUp(session)
    if (this.mode === 'terminal') {
      const view = new TerminalView(guardedStderr(), (size) => renderScreen(state, size, this.colour))
      this.view = view
      view.start()
      // A terminal that hung up shows nothing more: no redraws into the void.
      this.unsubscribers.push(outputs().stderr.onLost(() => view.stop()))
    }
    this.flushAnnounced()
  }

  /** The content is served over HTTP: a `stream` event with every file's URL for programs; for
   *  people the streamed file's URL (and the view's stream line). */
  streaming (stream: { url: string, files: ReadonlyArray<{ path: string, size: number, url: string }>, shown: StreamShown }): void {
    this.event('stream', { url: stream.url, files: stream.files, file: stream.shown.path, fileUrl: stream.shown.url })
    if (this.state !== null) reduce(this.state, { type: 'stream', data: stream.shown })
    if (this.mode === 'quiet') return
    if (this.view?.running !== true) this.say(`streaming ${stream.shown.path} at ${stream.shown.url}`)
    if (stream.files.length > 1 && this.view?.running !== true) this.say(`every file (${stream.files.length}): ${stream.url}/`)
  }

  /** What `--open` came to: a `player` event for programs; for people the player started, or
   *  a warning that leaves the stream running (open the URL by hand). */
  player (outcome: PlayerOutcome): void {
    this.event('player', { ...outcome })
    this.say(playerLine(outcome))
  }

  /** The download is complete: `done` for programs, the path for --quiet; when the command
   *  goes on seeding, a line (or a notice in the view) for people. */
  done (fields: { path: string, size: number, downloaded: number, uploaded: number, seconds: number }): void {
    this.event('done', fields)
    if (this.mode === 'quiet' && this.opts.contentOnStdout !== true) writeOut(printable(fields.path) + '\n')
    if (this.stopped) return // the summary said it all
    this.say(`done: ${fields.path} (${formatBytes(fields.size)} in ${fields.seconds.toFixed(1)} s, ` +
      `${formatBytes(fields.downloaded)} down, ${formatBytes(fields.uploaded)} up)`)
  }

  /** The command ends: the view closes (cursor and screen restored) and the summary follows.
   *  `failure` is what ended it, if an error did: the summary says timed out or failed. */
  stop (failure: unknown = null): void {
    if (!this.stopped && this.session !== null) this.finalFigures(this.session)
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
    if (this.stopped) return
    this.stopped = true
    this.view?.stop()
    const state = this.state
    if (state === null) return
    if (failure !== null) reduce(state, { type: 'end', data: endingOf(failure) })
    const now = Date.now()
    if (this.mode === 'json') {
      this.jsonEvents.progress(state, true)
      const { name, path, ...figures } = summarize(state, now)
      this.event('summary', { ...figures, averageDownloadRate: Math.round(figures.averageDownloadRate), averageUploadRate: Math.round(figures.averageUploadRate) })
      return
    }
    if (this.mode === 'quiet') return
    if (this.mode === 'terminal') {
      const hidden = state.warningCount - state.warnings.length
      if (hidden > 0) writeErr(`(${hidden} earlier warnings not shown)\n`)
      for (const message of state.warnings) writeErr(`warning: ${printable(message)}\n`)
    }
    const width = this.mode === 'terminal' ? usableWidth(process.stderr.columns ?? 80) : null
    for (const line of renderSummary(state, now, width, this.colour)) writeErr(line + '\n')
  }

  private listen<E extends object, K extends keyof E & string> (emitter: TypedEmitter<E>, event: K, listener: Listener<E[K]>): void {
    emitter.on(event, listener)
    this.unsubscribers.push(() => emitter.off(event, listener))
  }

  /** Folds one event into the state, then writes what this mode shows for it. */
  private apply (event: ViewEvent): void {
    const state = this.state!
    reduce(state, event)
    if (this.mode === 'json') {
      this.jsonEvents.apply(event, state)
      if (event.type === 'metadata') this.flushAnnounced() // a share is announced before its `ready`: said right after it
    } else if (this.mode === 'plain') this.plain(event, state)
  }

  private plain (event: ViewEvent, state: ViewState): void {
    switch (event.type) {
      case 'metadata': this.tell(renderContentLine(state)); break
      case 'resumed': this.say(resumedNotice(event.data)); break
      case 'checking': this.progressLine('checking', event.data); break
      case 'peer-add': this.say(`peer ${event.data.id.slice(0, 8)} connected`); break
      case 'peer-remove': this.say(`peer ${event.data.id.slice(0, 8)} left (${event.data.reason})`); break
      case 'warning': this.say(`warning: ${event.data.message}`); break
      case 'stats': {
        const now = Date.now()
        if (now - this.lastPlainAt < PLAIN_STATUS_INTERVAL_MS) break
        const line = renderStatusLine(state, this.colour)
        // An idle seeder says nothing new: no line until something changes.
        if (line === this.lastPlain) break
        this.lastPlainAt = now
        this.lastPlain = line
        this.tell(line)
        break
      }
      default: break
    }
  }

  /** `checking` (a partial) or `hashing` (a share) for people: a line every few seconds and
   *  the last; at a terminal, one line redrawn in place until the view starts. */
  private progressLine (what: string, p: HashProgress): void {
    const now = Date.now()
    const last = p.pieces === p.pieceCount
    const line = `${what} ${formatPercent(p.bytes, p.totalBytes)}  ${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)}  (${p.pieces}/${p.pieceCount} pieces)`
    if (this.mode === 'terminal' && this.view === null) {
      process.stderr.write(last ? '\r\x1b[K' : `\r\x1b[K${line}`)
      return
    }
    if (!last && now - this.lastHashLine < PLAIN_STATUS_INTERVAL_MS) return
    this.lastHashLine = now
    this.say(line)
  }

  /** The figures as they are now, not as of the last timer tick: the summary is exact. */
  private finalFigures (session: Session): void {
    if (session.status === 'closed') return
    this.apply({ type: 'peer-stats', data: [...session.peers.values()].map((peer) => peer.stats()) })
    this.apply({ type: 'stats', data: session.stats() })
  }

  /** Events from before watch(): node.get() and share() resolve once the swarm is joined,
   *  and a session may have found peers and pieces by then. */
  private catchUp (session: Session): void {
    for (const event of replayEvents(session)) this.apply(event as ViewEvent)
  }
}

function endingOf (failure: unknown): Ending {
  const code = toErrorReport(failure).code
  // --timeout gave up: on silence, or on peers that only ever sent corrupt pieces.
  return { outcome: code === 'ERR_TIMEOUT' || code === 'ERR_ONLY_BAD_PEERS' ? 'timed-out' : 'failed' }
}
