// `bitswarm stream <link>` and `get --stream`: once the metadata is known, the content is
// served over HTTP on 127.0.0.1 while it downloads, one URL per file; `--open` hands the
// streamed file's URL to the user's player.

import { metadataOf } from '../session/content-reader.js'
import type { Session } from '../session/session.js'
import { Layout } from '../storage/layout.js'
import { encodePath, startStreamServer, type StreamServer } from '../stream/http-server.js'
import { sessionSource } from '../stream/session-source.js'
import { streamedFile } from '../stream/streamed-file.js'
import { parsePort } from './network-options.js'
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
  return flags.port === undefined ? 0 : parsePort(flags.port, '--port')
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
