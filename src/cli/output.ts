// Standard output and standard error can go away under a running command: the reader of a
// pipe exits (`bitswarm get … --json | head -1`: EPIPE) or the terminal hangs up (EIO).
// Node reports either as an 'error' event on the stream, and unheard, as a crash with a
// stack trace. Every write of the CLI goes through here: a lost stream is written to no
// more, and whoever listens hears of the loss once. The process has one stdout and one
// stderr, so this module keeps their two guards (and nothing else).

import { closeSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { isatty } from 'node:tty'
import type { TerminalStream } from './view/terminal-view.js'

export type StreamName = 'stdout' | 'stderr'

export interface OutputLoss {
  stream: StreamName
  /** The system's code: EPIPE (the reader closed the pipe), EIO (the terminal hung up)… */
  code: string
}

type LossListener = (loss: OutputLoss) => void

/** The reader closed its end: what SIGPIPE would end a C program for. */
export const isClosedPipe = (loss: OutputLoss): boolean => loss.code === 'EPIPE'

/** One writable stream that may be lost; `write` never throws and never crashes the process. */
export class GuardedOutput {
  readonly name: StreamName
  private readonly stream: Writable
  private loss: OutputLoss | null = null
  private readonly listeners = new Set<LossListener>()

  constructor (name: StreamName, stream: Writable) {
    this.name = name
    this.stream = stream
    stream.on('error', (err: unknown) => this.lose(err))
  }

  get lost (): OutputLoss | null { return this.loss }

  /** Text, or bytes (`get -o -` writes the content itself). */
  write (data: string | Uint8Array): boolean {
    if (this.loss !== null) return false
    try {
      return this.stream.write(data)
    } catch (err) {
      this.lose(err)
      return false
    }
  }

  /** Resolves once everything written has gone out (at once when lost: it never will). */
  flushed (): Promise<void> {
    if (this.loss !== null || this.stream.writableLength === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.stream.once('drain', resolve)
      this.onLost(() => resolve())
    })
  }

  /** Calls `listener` once when the stream is lost (at once if it already is). */
  onLost (listener: LossListener): () => void {
    if (this.loss !== null) {
      listener(this.loss)
      return () => {}
    }
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  private lose (err: unknown): void {
    if (this.loss !== null) return
    const code = (err as NodeJS.ErrnoException | null)?.code
    this.loss = { stream: this.name, code: typeof code === 'string' ? code : 'ERR_UNEXPECTED' }
    const listeners = [...this.listeners]
    this.listeners.clear()
    for (const listener of listeners) listener(this.loss)
  }
}

let guards: { stdout: GuardedOutput, stderr: GuardedOutput } | null = null

/** The process's two output streams, guarded (the listeners go on at the first call). */
export function outputs (): { stdout: GuardedOutput, stderr: GuardedOutput } {
  if (guards === null) {
    guards = { stdout: new GuardedOutput('stdout', process.stdout), stderr: new GuardedOutput('stderr', process.stderr) }
    releaseHungUpTerminalsAtExit()
  }
  return guards
}

export const writeOut = (text: string): boolean => outputs().stdout.write(text)
export const writeErr = (text: string): boolean => outputs().stderr.write(text)

/** Exits (with process.exitCode) once what was written to standard output and error has
 *  gone out, whatever else still holds the process. */
export function exitWhenWritten (): void {
  const { stdout, stderr } = outputs()
  void Promise.all([stdout.flushed(), stderr.flushed()]).then(() => setImmediate(() => process.exit()))
}

/** Standard error as the live view draws on it: its size and resize events, guarded writes. */
export function guardedStderr (): TerminalStream {
  const stderr = process.stderr
  return {
    get isTTY () { return stderr.isTTY === true },
    get columns () { return stderr.columns },
    get rows () { return stderr.rows },
    write: writeErr,
    on: (event, listener) => stderr.on(event, listener),
    off: (event, listener) => stderr.off(event, listener)
  }
}

/** At exit Node restores the terminal settings of every standard stream that was a terminal
 *  at start, and aborts (SIGABRT, exit 134) when the terminal has hung up since: tcsetattr
 *  fails with EIO (Node 20). A descriptor closed here is one it skips. */
function releaseHungUpTerminalsAtExit (): void {
  const terminals = [0, 1, 2].filter((fd) => isatty(fd))
  if (terminals.length === 0) return
  process.once('exit', () => {
    for (const fd of terminals) {
      if (isatty(fd)) continue // still a terminal: Node restores it as usual
      try {
        closeSync(fd)
      } catch {
        // already closed
      }
    }
  })
}
