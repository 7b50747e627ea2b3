// How the other commands talk to a running daemon: its token, its socket, JSON both ways.

import { readFile } from 'node:fs/promises'
import { type IncomingMessage, request } from 'node:http'
import { BitswarmError, type ErrorCode, noDaemon } from '../errors.js'
import type { StatePaths } from './state-dir.js'

/** How long a request may take: adding a path hashes it first. */
const REQUEST_TIMEOUT_MS = 10 * 60_000

export async function callDaemon (paths: StatePaths, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = await tokenOf(paths)
  return await new Promise((resolve, reject) => {
    const req = request({ socketPath: paths.socket, method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      void jsonOf(res).then((parsed) => res.statusCode === 200 ? resolve(parsed) : reject(refusal(res, parsed)), reject)
    })
    req.on('timeout', () => req.destroy(new Error('the daemon did not answer in time')))
    req.on('error', (err: NodeJS.ErrnoException) => reject(connectionError(paths, err)))
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** Follows a stream of NDJSON lines from the daemon; `onLine` gets each parsed line.
 *  Resolves when the daemon ends the stream; `signal` stops following. */
export async function followDaemon (paths: StatePaths, path: string, onLine: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
  const token = await tokenOf(paths)
  await new Promise<void>((resolve, reject) => {
    const req = request({ socketPath: paths.socket, method: 'GET', path, headers: { authorization: `Bearer ${token}` }, ...(signal !== undefined ? { signal } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        void jsonOf(res).then((parsed) => reject(refusal(res, parsed)), reject)
        return
      }
      let pending = ''
      res.setEncoding('utf8')
      res.on('data', (text: string) => {
        pending += text
        for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
          const line = pending.slice(0, newline)
          pending = pending.slice(newline + 1)
          if (line !== '') onLine(JSON.parse(line))
        }
      })
      res.on('end', () => resolve())
      res.on('error', () => resolve())
    })
    req.on('error', (err: NodeJS.ErrnoException) => { if (err.name === 'AbortError') resolve(); else reject(connectionError(paths, err)) })
    req.end()
  })
}

/** The running daemon's token; without the file, no daemon runs there. */
async function tokenOf (paths: StatePaths): Promise<string> {
  const token = (await readFile(paths.token, 'utf8').catch(() => null))?.trim()
  if (token === undefined) throw noDaemon(paths.dir)
  return token
}

/** The whole body as JSON, or null when it is not JSON. */
async function jsonOf (res: IncomingMessage): Promise<{ code?: string, message?: string } | null> {
  const chunks: Buffer[] = []
  for await (const chunk of res) chunks.push(chunk as Buffer)
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string, message?: string }
  } catch {
    return null
  }
}

/** The daemon's coded refusal, as an error of that code. */
function refusal (res: IncomingMessage, body: { code?: string, message?: string } | null): BitswarmError {
  return new BitswarmError((body?.code ?? 'ERR_IO') as ErrorCode, body?.message ?? `the daemon answered ${res.statusCode ?? '?'}`)
}

function connectionError (paths: StatePaths, err: NodeJS.ErrnoException): Error {
  return err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? noDaemon(paths.dir) : err
}
