// Long-running commands run until something stops them: SIGINT (Ctrl-C), SIGTERM, SIGHUP
// (the terminal hung up), or a reader that closes standard output or standard error
// (`| head -1`), which ends the command as SIGPIPE ends other programs. The command then
// closes cleanly (the session's state is flushed), but not for long: a close that hangs (a
// DHT that no longer answers) is cut short after STOP_DEADLINE_MS, and once stopping, any
// further signal exits at once.

import { constants } from 'node:os'
import { EXIT_OUTPUT_CLOSED } from './fail.js'
import { exitWhenWritten, isClosedPipe, outputs, writeErr, type StreamName } from './output.js'

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
export type StopSignal = typeof STOP_SIGNALS[number]

export type StopReason =
  | { kind: 'signal', signal: StopSignal }
  | { kind: 'output-closed', stream: StreamName }

/** How long a clean stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 5_000

export interface StopWatch {
  /** Resolves with the first reason to stop. */
  reason: Promise<StopReason>
  /** The command has finished: stops listening. After a stop, the process exits as soon as
   *  its output is written: what still holds it (a file being hashed for a share that will
   *  not be) is not waited for, and the deadline stays as the bound. */
  dispose: () => void
}

/** The exit status for a stop: 141 (128 + SIGPIPE, what a shell shows for a program ended by
 *  SIGPIPE) when the output was closed, else the command's own status for a signal. */
export function stopExitCode (reason: StopReason, onSignal: number): number {
  return reason.kind === 'output-closed' ? EXIT_OUTPUT_CLOSED : onSignal
}

/** Watches for a reason to stop; `exitCode` is the status the command exits with for it,
 *  used when the deadline cuts the close short. */
export function untilStopped (exitCode: (reason: StopReason) => number): StopWatch {
  let settle: (reason: StopReason) => void = () => {}
  const reason = new Promise<StopReason>((resolve) => { settle = resolve })
  let stopping = false
  let finished = false

  const stop = (why: StopReason): void => {
    if (stopping) return
    stopping = true
    settle(why)
    setTimeout(() => {
      // After dispose() the command had closed everything it knows of: something else (a
      // file still being hashed) held the process, and there is nothing to report.
      if (!finished) writeErr(`bitswarm: not closed after ${STOP_DEADLINE_MS / 1000} s; exiting\n`)
      process.exit(exitCode(why))
    }, STOP_DEADLINE_MS).unref()
  }
  const onSignal = (signal: StopSignal): void => {
    // The second time: the person (or supervisor) will not wait for a clean close.
    if (stopping) process.exit(128 + constants.signals[signal])
    stop({ kind: 'signal', signal })
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal)
  const { stdout, stderr } = outputs()
  const unwatch = [stdout, stderr].map((output) => output.onLost((loss) => {
    // A terminal that hung up (EIO) is not a reason: SIGHUP is, when it comes.
    if (isClosedPipe(loss)) stop({ kind: 'output-closed', stream: loss.stream })
  }))

  return {
    reason,
    dispose: () => {
      finished = true
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal)
      for (const off of unwatch) off()
      if (stopping) exitWhenWritten()
    }
  }
}
