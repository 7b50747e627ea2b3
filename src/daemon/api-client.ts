// How the other commands talk to a running daemon: its token, its socket, JSON both ways.

import { readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { BitswarmError, type ErrorCode, noDaemon } from '../errors.js'
import type { StatePaths } from './state-dir.js'

/** How long a request may take: adding a path hashes it first. */
const REQUEST_TIMEOUT_MS = 10 * 60_000

export async function callDaemon (paths: StatePaths, method: string, path: string, body?: unknown): Promise<unknown> {
  const token = (await readFile(paths.token, 'utf8').catch(() => null))?.trim()
  if (token === undefined) throw noDaemon(paths.dir)
  return await new Promise((resolve, reject) => {
    const req = request({ socketPath: paths.socket, method, path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        let parsed: { code?: string, message?: string } | null = null
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string, message?: string }
        } catch {}
        if (res.statusCode === 200) resolve(parsed)
        else reject(new BitswarmError((parsed?.code ?? 'ERR_IO') as ErrorCode, parsed?.message ?? `the daemon answered ${res.statusCode ?? '?'}`))
      })
    })
    req.on('timeout', () => req.destroy(new Error('the daemon did not answer in time')))
    req.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? noDaemon(paths.dir) : err))
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** Follows a stream of NDJSON lines from the daemon; `onLine` gets each parsed line.
 *  Resolves when the daemon ends the stream; `signal` stops following. */
export async function followDaemon (paths: StatePaths, path: string, onLine: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
  const token = (await readFile(paths.token, 'utf8').catch(() => null))?.trim()
  if (token === undefined) throw noDaemon(paths.dir)
  await new Promise<void>((resolve, reject) => {
    const req = request({ socketPath: paths.socket, method: 'GET', path, headers: { authorization: `Bearer ${token}` }, ...(signal !== undefined ? { signal } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = (() => { try { return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string, message?: string } } catch { return null } })()
          reject(new BitswarmError((body?.code ?? 'ERR_IO') as ErrorCode, body?.message ?? `the daemon answered ${res.statusCode ?? '?'}`))
        })
        return
      }
      let pending = ''
      res.setEncoding('utf8')
      res.on('data', (text: string) => {
        pending += text
        let newline
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline)
          pending = pending.slice(newline + 1)
          if (line !== '') onLine(JSON.parse(line))
        }
      })
      res.on('end', () => resolve())
      res.on('error', () => resolve())
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') resolve()
      else reject(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? noDaemon(paths.dir) : err)
    })
    req.end()
  })
}
