// One HTTP server on 127.0.0.1 for several shares at once (the daemon's): each share's files
// under a prefix of its own, `/<key>/<path>`, so that the URLs of two shares never meet; `/`
// lists the shares served. A share taken away (paused, removed) has its open responses cut,
// which aborts their reads and releases their readers, and its URLs answer an HTTP error that
// says why: 503 while it may come back, 404 once it is gone.

import { createServer, type ServerResponse } from 'node:http'
import type { ByteSource } from './byte-source.js'
import { closeServer, listen, pathOf, serveSource, text, type StreamServerOptions } from './http-server.js'

export interface ShareStreamServer {
  readonly url: string
  /** Serves `source` under `/<key>/` (in place of what was there); returns that base URL. */
  mount: (key: string, source: ByteSource) => string
  /** The source served under `key`, if one is. */
  mounted: (key: string) => ByteSource | null
  /** Stops serving `key`: its open responses are cut; later requests answer 503 with `why`
   *  (it may come back), or 404 without. */
  unmount: (key: string, why?: string) => void
  close: () => Promise<void>
}

/** `/<key>/<rest>` split at its first segment (`/<key>` alone is its index, `/`); null for
 *  the root. Pure. */
export function splitMounted (path: string): { key: string, rest: string } | null {
  const slash = path.indexOf('/', 1)
  const key = slash < 0 ? path.slice(1) : path.slice(1, slash)
  if (key === '') return null
  return { key, rest: slash < 0 ? '/' : path.slice(slash) }
}

interface Mount {
  source: ByteSource
  responses: Set<ServerResponse>
}

export async function startShareStreams (options: StreamServerOptions = {}, portOption = '--port'): Promise<ShareStreamServer> {
  const mounts = new Map<string, Mount>()
  /** Why a key taken away is not served (503); a key in neither map is unknown (404). */
  const away = new Map<string, string>()
  const cut = (mount: Mount): void => { for (const res of mount.responses) res.destroy() }

  const server = createServer((req, res) => {
    const split = splitMounted(pathOf(req))
    if (split === null) {
      const body = JSON.stringify([...mounts.keys()].map((key) => ({ key, url: `/${key}/` })))
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
      res.end(req.method === 'HEAD' ? undefined : body)
      return
    }
    const mount = mounts.get(split.key)
    if (mount === undefined) {
      const why = away.get(split.key)
      if (why !== undefined) text(res, 503, `share ${split.key} is not served now: ${why}\n`, { 'Retry-After': '10' })
      else text(res, 404, `no share ${split.key} is served here\n`)
      return
    }
    mount.responses.add(res)
    res.on('close', () => mount.responses.delete(res))
    void serveSource(mount.source, options, req, res, split.rest, `/${split.key}`)
  })
  const url = await listen(server, options, portOption)
  return {
    url,
    mount: (key, source) => {
      const before = mounts.get(key)
      if (before !== undefined && before.source !== source) cut(before)
      if (before?.source !== source) mounts.set(key, { source, responses: new Set() })
      away.delete(key)
      return `${url}/${key}`
    },
    mounted: (key) => mounts.get(key)?.source ?? null,
    unmount: (key, why) => {
      const mount = mounts.get(key)
      mounts.delete(key)
      if (mount !== undefined) cut(mount)
      if (why !== undefined) away.set(key, why)
      else away.delete(key)
    },
    close: async () => await closeServer(server)
  }
}
