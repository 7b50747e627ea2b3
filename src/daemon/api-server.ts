// The daemon's control interface: HTTP+JSON on a Unix socket in the state folder, both the
// socket and the token file readable by the user alone. Every request carries the token
// (`Authorization: Bearer …`); one without it is answered 401, before anything is read.

import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmod, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { invalidOption, isBitswarmError } from '../errors.js'
import type { SeedLimits } from './seed-limits.js'
import type { StatePaths } from './state-dir.js'

/** Largest request body taken: a link or a path, and a folder. */
const MAX_BODY_BYTES = 64 * 1024
/** Events a `watch` may leave unread before it is cut off. */
const MAX_UNREAD_EVENTS_BYTES = 4 * 1024 * 1024

export interface DaemonApi {
  list: () => unknown[]
  add: (request: { link?: string, path?: string, output?: string, limits?: SeedLimits }) => Promise<unknown>
  remove: (id: string, deleteData: boolean) => Promise<void>
  pause: (id: string) => Promise<unknown>
  resume: (id: string) => Promise<unknown>
  /** Follows one share: `send` gets each event (the catch-up first); returns the stop. */
  follow: (id: string, send: (event: unknown) => void, end: () => void) => () => void
  /** Serves one share over HTTP (`file`: the one streamed, by its path in the share). */
  stream: (id: string, file: string | undefined) => Promise<unknown>
  stop: () => void
}

export interface ApiServer { close: () => Promise<void> }

export async function startApiServer (paths: StatePaths, api: DaemonApi): Promise<ApiServer> {
  const token = randomBytes(32).toString('hex')
  await writeFile(paths.token, token + '\n', { mode: 0o600 })
  await chmod(paths.token, 0o600)
  const expected = Buffer.from(`Bearer ${token}`)
  const server = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      reply(res, 401, { code: 'ERR_UNAUTHORIZED', message: 'wrong or missing token' })
      req.resume()
      return
    }
    const events = /^\/shares\/([^/]+)\/events$/.exec(new URL(req.url ?? '/', 'http://daemon').pathname)
    if (req.method === 'GET' && events !== null) {
      follow(res, api, events[1]!)
      return
    }
    void route(req, api).then((body) => reply(res, 200, body), (err: unknown) => {
      if (isBitswarmError(err)) reply(res, 400, { code: err.code, message: err.message })
      else reply(res, 500, { code: 'ERR_INTERNAL', message: String((err as Error)?.message ?? err) })
    })
  })
  // The lock is ours: a socket left there is a dead daemon's.
  await rm(paths.socket, { force: true })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(paths.socket, () => { server.off('error', reject); resolve() })
  })
  await chmod(paths.socket, 0o600)
  return {
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(paths.token, { force: true })
    }
  }
}

async function route (req: IncomingMessage, api: DaemonApi): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://daemon')
  const share = /^\/shares\/([^/]+)(?:\/(pause|resume|stream))?$/.exec(url.pathname)
  if (req.method === 'GET' && url.pathname === '/shares') return api.list()
  if (req.method === 'POST' && url.pathname === '/shares') return await api.add(await jsonBody(req) as Parameters<DaemonApi['add']>[0])
  if (req.method === 'DELETE' && share !== null && share[2] === undefined) {
    await api.remove(share[1]!, url.searchParams.get('data') === '1')
    return { removed: share[1] }
  }
  if (req.method === 'POST' && share !== null && share[2] === 'pause') return await api.pause(share[1]!)
  if (req.method === 'POST' && share !== null && share[2] === 'resume') return await api.resume(share[1]!)
  if (req.method === 'POST' && share !== null && share[2] === 'stream') {
    const { file } = (await jsonBody(req) ?? {}) as { file?: unknown }
    if (file !== undefined && typeof file !== 'string') throw invalidOption('the file to stream is a path in the share')
    return await api.stream(share[1]!, file)
  }
  if (req.method === 'POST' && url.pathname === '/stop') {
    setImmediate(() => api.stop())
    return { stopping: true }
  }
  throw Object.assign(new Error(`no such request: ${req.method ?? ''} ${url.pathname}`), { code: 'ERR_INTERNAL' })
}

/** The share's events as NDJSON, one `{ type, data }` per line, until it ends or the
 *  client goes; a client that does not read is cut off past what the socket buffers. */
function follow (res: ServerResponse, api: DaemonApi, id: string): void {
  let unfollow: () => void = () => {}
  try {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    unfollow = api.follow(id, (event) => {
      if (res.writableLength > MAX_UNREAD_EVENTS_BYTES) res.destroy()
      else res.write(JSON.stringify(event, (_key, value: unknown) => value instanceof Error ? { code: (value as { code?: string }).code, message: value.message } : value) + '\n')
    }, () => res.end())
  } catch (err) {
    res.end(JSON.stringify({ type: 'error', data: { code: isBitswarmError(err) ? err.code : 'ERR_IO', message: (err as Error).message } }) + '\n')
    return
  }
  res.on('close', () => unfollow())
}

async function jsonBody (req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
}

function reply (res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body) + '\n')
}
