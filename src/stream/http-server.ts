// HTTP server on 127.0.0.1 serving a ByteSource's files with Range support. One URL per file
// (its path, each segment percent-encoded); `/` is a JSON index. Bodies stream in bounded chunks
// with backpressure; a client that leaves aborts the pending read.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { STREAM_CHUNK_BYTES, STREAM_READ_TIMEOUT_MS } from '../constants.js'
import { portInUse, timedOut } from '../errors.js'
import type { ByteSource } from './byte-source.js'
import { contentTypeOf } from './content-type.js'
import { contentRange, parseRange, unsatisfiedRange } from './range.js'

export interface StreamServerOptions {
  port?: number
  host?: string
  readTimeoutMs?: number
  chunkBytes?: number
}

export interface StreamServer {
  readonly url: string
  urlOf: (fileIndex: number) => string
  close: () => Promise<void>
}

/** Names each response's reader for the source, unique within the process. */
let readerCount = 0

export const encodePath = (path: string): string => '/' + path.split('/').map(encodeURIComponent).join('/')

export async function startStreamServer (source: ByteSource, options: StreamServerOptions = {}): Promise<StreamServer> {
  const server: Server = createServer((req, res) => { void serveSource(source, options, req, res, pathOf(req)) })
  const url = await listen(server, options)
  return {
    url,
    urlOf: i => url + encodePath(source.files[i]?.path ?? ''),
    close: async () => await closeServer(server)
  }
}

/** Listens on options.host (127.0.0.1) and options.port (0: any free one); resolves with the
 *  server's URL. ERR_PORT_IN_USE names `portOption`, the option that chose the port. */
export async function listen (server: Server, options: StreamServerOptions, portOption = '--port'): Promise<string> {
  const host = options.host ?? '127.0.0.1'
  server.listen(options.port ?? 0, host)
  try {
    await once(server, 'listening')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(host, options.port ?? 0, portOption)
    throw err
  }
  return `http://${host}:${(server.address() as AddressInfo).port}`
}

export async function closeServer (server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
}

export function text (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) { res.destroy(); return }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

/** The request's path, without its query. */
export const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/'

/** Answers one request for `path` (`/` or a file's encoded path) of the source; the index's
 *  URLs start with `base` (where the source is mounted: '' at the root). */
export async function serveSource (source: ByteSource, options: StreamServerOptions, req: IncomingMessage, res: ServerResponse, path: string, base = ''): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') { text(res, 405, 'only GET and HEAD\n', { Allow: 'GET, HEAD' }); return }
  if (path === '/') {
    const body = JSON.stringify(source.files.map((f) => ({ path: f.path, size: f.size, url: base + encodePath(f.path) })))
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
    res.end(req.method === 'HEAD' ? undefined : body)
    return
  }
  let decoded: string
  try { decoded = decodeURIComponent(path.slice(1)) } catch { text(res, 400, 'malformed path\n'); return }
  const index = source.files.findIndex(f => f.path === decoded)
  if (index < 0) { text(res, 404, `no file ${decoded}\n`); return }
  const size = source.files[index]!.size
  const range = parseRange(req.headers.range, size)
  if (range.kind === 'unsatisfiable') { text(res, 416, 'range not satisfiable\n', { 'Content-Range': unsatisfiedRange(size) }); return }
  const start = range.kind === 'partial' ? range.range.start : 0
  const end = range.kind === 'partial' ? range.range.end : size - 1
  const headers: Record<string, string | number> = {
    'Accept-Ranges': 'bytes', 'Content-Type': contentTypeOf(decoded), 'Content-Length': end - start + 1
  }
  if (range.kind === 'partial') headers['Content-Range'] = contentRange(range.range, size)
  const status = range.kind === 'partial' ? 206 : 200

  const aborter = new AbortController()
  const reader = `http-${++readerCount}`
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort()
    source.leave?.(reader)
  })
  let first: Buffer
  const chunk = options.chunkBytes ?? STREAM_CHUNK_BYTES
  const read = async (at: number): Promise<Buffer> => await withTimeout(
    source.read(index, at, Math.min(chunk, end + 1 - at), aborter.signal, reader), options.readTimeoutMs ?? STREAM_READ_TIMEOUT_MS, aborter)
  try {
    // The first chunk is read before the headers, so a read that never comes gets a 504 status.
    first = req.method === 'HEAD' || end < start ? Buffer.alloc(0) : await read(start)
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_TIMEOUT') text(res, 504, `the bytes did not arrive in time (${(err as Error).message})\n`)
    else if ((err as { code?: string }).code === 'ERR_CLOSED' && !aborter.signal.aborted) text(res, 503, `${decoded} is no longer served: ${(err as Error).message}\n`)
    else if (!aborter.signal.aborted) text(res, 500, `cannot read ${decoded}: ${(err as Error).message}\n`)
    return
  }
  res.writeHead(status, headers)
  if (req.method === 'HEAD') { res.end(); return }
  try {
    let at = start
    let buf = first
    for (;;) {
      at += buf.length
      if (!res.write(buf)) await once(res, 'drain', { signal: aborter.signal })
      if (at > end || buf.length === 0) break
      buf = await read(at)
    }
    res.end()
  } catch {
    res.destroy() // headers are gone: a short body is the only signal left
  }
}

async function withTimeout<T> (work: Promise<T>, ms: number, aborter: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { const err = timedOut(`read after ${ms} ms`); reject(err); aborter.abort(err) }, ms)
  })
  try { return await Promise.race([work, timeout]) } finally { clearTimeout(timer) }
}
