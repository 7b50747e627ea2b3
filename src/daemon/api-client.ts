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
