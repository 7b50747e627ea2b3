// Every failure leaves the CLI as one line (or one JSON `error` event) and a non-zero exit.
// Stacks are for developers: BITSWARM_DEBUG=1 shows them.

import { isBitswarmError } from '../errors.js'
import { writeErr, writeOut } from './output.js'
import { jsonLine, printable } from './printable.js'

export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
/** 128 + SIGINT, the shell convention for an interrupted command. */
export const EXIT_INTERRUPTED = 130
/** 128 + SIGPIPE: what a shell shows for a program its pipe's reader went away from
 *  (`yes | head -1`). Node ignores SIGPIPE, so the CLI exits with it itself. */
export const EXIT_OUTPUT_CLOSED = 141

export interface ErrorReport {
  code: string
  message: string
}

export function toErrorReport (err: unknown): ErrorReport {
  if (isBitswarmError(err)) return { code: err.code, message: err.message }
  const code = (err as NodeJS.ErrnoException | null)?.code
  const message = err instanceof Error ? err.message : String(err)
  return { code: typeof code === 'string' ? code : 'ERR_UNEXPECTED', message }
}

/** The message names paths and carries words from peers: it is escaped to stay one line. */
export function reportError (err: unknown, json: boolean): void {
  const report = toErrorReport(err)
  if (json) writeOut(jsonLine({ event: 'error', ...report }))
  else writeErr(`bitswarm: ${printable(report.message)} [${printable(report.code)}]\n`)
  if (process.env.BITSWARM_DEBUG === '1' && err instanceof Error) writeErr(`${err.stack ?? ''}\n`)
}
