// Every failure leaves the CLI as one line (or one JSON `error` event) and a non-zero exit.
// Stacks are for developers: BITSWARM_DEBUG=1 shows them.

import { isBitswarmError } from '../errors.js'

export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
/** 128 + SIGINT, the shell convention for an interrupted command. */
export const EXIT_INTERRUPTED = 130

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

export function reportError (err: unknown, json: boolean): void {
  const report = toErrorReport(err)
  if (json) process.stdout.write(JSON.stringify({ event: 'error', ...report }) + '\n')
  else process.stderr.write(`bitswarm: ${report.message} [${report.code}]\n`)
  if (process.env.BITSWARM_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`)
}
