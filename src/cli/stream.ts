// `bitswarm stream <link>` and `get --stream`: once the metadata is known, the content is
// served over HTTP on 127.0.0.1 while it downloads, one URL per file; `--open` hands the
// streamed file's URL to the user's player.

import { invalidOption, noSuchFile } from '../errors.js'
import { metadataOf } from '../session/content-reader.js'
import type { Session } from '../session/session.js'
import { Layout } from '../storage/layout.js'
import { contentTypeOf } from '../stream/content-type.js'
import { encodePath, startStreamServer, type StreamServer } from '../stream/http-server.js'
import { sessionSource } from '../stream/session-source.js'
import type { StreamFile } from '../stream/byte-source.js'
import { startPlayer } from './player.js'
import type { Reporter } from './reporter.js'

export interface StreamFlags {
  /** The file to stream, by its path in the share (default: the largest video or audio file). */
  file?: string
  /** --open: true for the first player found, or the player's command. */
  open?: boolean | string
  port?: string
}

/** The HTTP port, checked before any network work. */
export function streamPort (flags: StreamFlags): number {
  if (flags.port === undefined) return 0
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidOption(`--port ${flags.port}: expected a port number from 0 to 65535`)
  return port
}

/** The file shown and opened: --file, else the largest video or audio file, else the largest. */
export function streamedFile (files: readonly StreamFile[], wanted: string | undefined): number {
  if (wanted !== undefined) {
    const index = files.findIndex((f) => f.path === wanted)
    if (index < 0) throw noSuchFile(wanted, files.map((f) => f.path))
    return index
  }
  const media = (f: StreamFile): boolean => /^(video|audio)\//.test(contentTypeOf(f.path))
  let best = 0
  for (let i = 1; i < files.length; i++) {
    const [a, b] = [files[i]!, files[best]!]
    if (media(a) !== media(b) ? media(a) : a.size > b.size) best = i
  }
  return best
}

/** Serves the session's content once its metadata is known; says where, and opens the player. */
export async function serveStream (session: Session, reporter: Reporter, flags: StreamFlags, signal: AbortSignal): Promise<StreamServer> {
  const meta = await metadataOf(session, signal)
  const source = sessionSource(session, meta)
  const index = streamedFile(source.files, flags.file)
  const server = await startStreamServer(source, { port: streamPort(flags) })
  const files = source.files.map((f) => ({ path: f.path, size: f.size, url: server.url + encodePath(f.path) }))
  const shown = files[index]!
  reporter.streaming({ url: server.url, files, shown: { url: shown.url, path: shown.path, start: new Layout(meta.info).fileRange(index).start, size: shown.size } })
  if (flags.open !== undefined && flags.open !== false) reporter.player(await startPlayer(flags.open, shown, process.env.PATH))
  return server
}
