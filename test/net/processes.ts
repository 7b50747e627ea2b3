// Processes inside a namespace (`ip netns exec <ns> …`, which execs the command, so the PID
// we hold is the command's own): standard output collected line by line (and parsed when it
// is a `--json` event), awaited with timeouts, stopped by PID only.

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { trackPid } from './shell.js'

/** The repository root: the nearest folder above this file with a package.json (this file
 *  also runs compiled, from dist-bench/). */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return dir
})()
export const BITSWARM = join(ROOT, 'bin', 'bitswarm.js')

export type JsonEvent = { event: string } & Record<string, unknown>
export interface Exit { code: number | null, signal: NodeJS.Signals | null }

export class NsProcess {
  readonly pid: number
  readonly startedAt = performance.now()
  readonly lines: string[] = []
  readonly events: JsonEvent[] = []
  /** When each event arrived (performance.now()), index for index with `events`. */
  readonly eventTimes: number[] = []
  readonly exited: Promise<Exit>
  private readonly child: ChildProcess
  private stderrTail = ''
  private readonly listeners = new Set<() => void>()
  private exit: Exit | null = null

  constructor (readonly ns: string, readonly label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env }
    })
    if (this.child.pid === undefined) throw new Error(`${label}: could not start ${cmd}`)
    this.pid = this.child.pid
    const untrack = trackPid(this.pid)
    this.child.stderr!.on('data', (c: Buffer) => { this.stderrTail = (this.stderrTail + c.toString()).slice(-6000) })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line)
      if (line.startsWith('{')) {
        try {
          const parsed = JSON.parse(line) as unknown
          if (typeof parsed === 'object' && parsed !== null && typeof (parsed as JsonEvent).event === 'string') {
            this.events.push(parsed as JsonEvent)
            this.eventTimes.push(performance.now())
          }
        } catch {}
      }
      this.notify()
    })
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        untrack()
        this.exit = { code, signal }
        this.notify()
        resolve(this.exit)
      })
    })
  }

  get running (): boolean { return this.exit === null }

  /** Seconds from this process's start to the first event `match` accepts (null: none yet). */
  secondsTo (match: (e: JsonEvent) => boolean): number | null {
    const i = this.events.findIndex(match)
    return i < 0 ? null : (this.eventTimes[i]! - this.startedAt) / 1000
  }

  stderr (): string { return this.stderrTail }

  /** The first event (from index `since` on) for which `match` is true, waiting at most
   *  `timeoutMs`; rejects on timeout or when the process exits first. */
  async waitFor (what: string, match: (e: JsonEvent) => boolean, timeoutMs: number, since = 0): Promise<JsonEvent> {
    return await this.waitUntil(what, () => this.events.slice(since).find(match), timeoutMs)
  }

  /** The first output line (from index `since` on) for which `match` is true. */
  async waitForLine (what: string, match: (line: string) => boolean, timeoutMs: number, since = 0): Promise<string> {
    return await this.waitUntil(what, () => this.lines.slice(since).find(match), timeoutMs)
  }

  private async waitUntil<T> (what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
    const found = check()
    if (found !== undefined) return found
    return await new Promise<T>((resolve, reject) => {
      const done = (): void => { clearTimeout(timer); this.listeners.delete(listener) }
      const listener = (): void => {
        const hit = check()
        if (hit !== undefined) { done(); resolve(hit); return }
        if (this.exit !== null) { done(); reject(this.failure(`${what}: exited (${this.exit.code ?? this.exit.signal}) first`)) }
      }
      const timer = setTimeout(() => { done(); reject(this.failure(`${what}: not within ${timeoutMs} ms`)) }, timeoutMs)
      this.listeners.add(listener)
      listener()
    })
  }

  /** An error that carries what the process printed last. */
  failure (message: string): Error {
    const tail = this.lines.slice(-8).map((l) => '    ' + l.slice(0, 400)).join('\n')
    return new Error(`${this.label} [${this.ns}]: ${message}\n  last output:\n${tail}\n  stderr: ${this.stderrTail.trim().slice(-1500)}`)
  }

  /** Sends `signal` to this process (by PID) and waits for it to exit; SIGKILL after `graceMs`. */
  async stop (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<Exit> {
    if (this.exit !== null) return this.exit
    try { process.kill(this.pid, signal) } catch {}
    const timer = setTimeout(() => { try { process.kill(this.pid, 'SIGKILL') } catch {} }, graceMs)
    const exit = await this.exited
    clearTimeout(timer)
    return exit
  }

  private notify (): void { for (const l of [...this.listeners]) l() }
}

/** A process group to stop together, newest first. */
export class ProcessSet {
  private readonly procs: NsProcess[] = []
  add<P extends NsProcess> (p: P): P { this.procs.push(p); return p }
  async stopAll (): Promise<void> {
    for (const p of this.procs.splice(0).reverse()) await p.stop()
  }
}

export function startNode (ns: string, label: string, script: string, args: string[], env?: NodeJS.ProcessEnv): NsProcess {
  return new NsProcess(ns, label, process.execPath, [script, ...args], env)
}
