// Renders a session's events: JSON lines for programs, a bar (TTY) or plain status lines
// for people. It only listens; it never reaches into the node.

import cliProgress from 'cli-progress'
import { PROGRESS_INTERVAL_MS } from '../constants.js'
import type { BitswarmNode } from '../node.js'
import type { Session } from '../session/session.js'
import type { SessionStats } from '../session/events.js'
import type { Listener, TypedEmitter } from '../typed-emitter.js'
import { formatBytes, formatPercent, formatRate } from './format.js'

/** Plain status lines when standard error is not a terminal (logs, CI). */
const PLAIN_STATUS_INTERVAL_MS = 2_000

export interface ReporterOptions {
  json: boolean
  quiet?: boolean
}

export class Reporter {
  private readonly opts: ReporterOptions
  private bar: cliProgress.SingleBar | null = null
  private lastProgress = 0
  /** Removes every listener this reporter added, so nothing is printed after stop(). */
  private readonly unsubscribers: Array<() => void> = []

  constructor (opts: ReporterOptions) {
    this.opts = opts
  }

  /** Data: one JSON event per line on standard output. */
  event (name: string, fields: Record<string, unknown>): void {
    if (this.opts.json) process.stdout.write(JSON.stringify({ event: name, ...fields }) + '\n')
  }

  /** A message for people, on standard error so standard output stays data. */
  say (line: string): void {
    if (this.opts.json || this.opts.quiet === true) return
    this.stopBar()
    process.stderr.write(line + '\n')
  }

  watchNode (node: BitswarmNode): void {
    this.listen(node, 'lookup', ({ attempt }) => {
      if (attempt === 3 || attempt % 10 === 0) this.say(`looking for peers… (${attempt} lookups, none found yet)`)
    })
  }

  watch (session: Session, link: string): void {
    this.listen(session, 'metadata', (m) => {
      this.event('ready', { link, infoHash: m.infoHash, name: m.name, size: m.totalBytes, pieces: m.pieceCount, pieceSize: m.pieceSize })
      this.say(`${m.name}: ${formatBytes(m.totalBytes)} in ${m.pieceCount} pieces of ${formatBytes(m.pieceSize)}`)
    })
    this.listen(session, 'peer-add', ({ id }) => {
      this.event('peer', { id, connected: true })
      this.say(`peer ${id.slice(0, 8)} connected`)
    })
    this.listen(session, 'peer-remove', ({ id, reason }) => {
      this.event('peer', { id, connected: false, reason })
      this.say(`peer ${id.slice(0, 8)} left (${reason})`)
    })
    this.listen(session, 'warning', (w) => {
      this.event('warning', { ...w })
      this.say(`warning: ${w.message}`)
    })
    this.listen(session, 'stats', (stats) => this.progress(stats))
    this.listen(session, 'peer-stats', (peers) => this.event('peers', { peers }))
  }

  done (fields: { path: string, size: number, downloaded: number, uploaded: number, seconds: number }): void {
    this.stopBar()
    this.event('done', fields)
    if (this.opts.quiet === true && !this.opts.json) process.stdout.write(fields.path + '\n')
    this.say(`done: ${fields.path} (${formatBytes(fields.size)} in ${fields.seconds.toFixed(1)} s, ` +
      `${formatBytes(fields.downloaded)} down, ${formatBytes(fields.uploaded)} up)`)
  }

  stop (): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe()
    this.stopBar()
  }

  private listen<E extends object, K extends keyof E & string> (emitter: TypedEmitter<E>, event: K, listener: Listener<E[K]>): void {
    emitter.on(event, listener)
    this.unsubscribers.push(() => emitter.off(event, listener))
  }

  private progress (stats: SessionStats): void {
    const now = Date.now()
    const interval = this.opts.json || process.stderr.isTTY ? PROGRESS_INTERVAL_MS : PLAIN_STATUS_INTERVAL_MS
    if (now - this.lastProgress < interval) return
    this.lastProgress = now
    this.event('progress', {
      have: stats.have,
      pieces: stats.pieceCount,
      downloaded: stats.downloaded,
      uploaded: stats.uploaded,
      downloadRate: Math.round(stats.downloadRate),
      uploadRate: Math.round(stats.uploadRate),
      peers: stats.peers
    })
    if (this.opts.json || this.opts.quiet === true) return
    const line = stats.pieceCount === 0
      ? `fetching metadata… peers ${stats.peers}`
      : `${formatPercent(stats.have, stats.pieceCount)} ${stats.have}/${stats.pieceCount} pieces ` +
        `↓ ${formatRate(stats.downloadRate)} ↑ ${formatRate(stats.uploadRate)} peers ${stats.peers}`
    if (!process.stderr.isTTY) {
      process.stderr.write(line + '\n')
      return
    }
    if (this.bar === null) {
      this.bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{bar} {status}', hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic)
      this.bar.start(Math.max(stats.pieceCount, 1), stats.have, { status: line })
    }
    this.bar.update(stats.have, { status: line })
  }

  private stopBar (): void {
    this.bar?.stop()
    this.bar = null
  }
}
