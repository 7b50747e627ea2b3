// The daemon's shares over HTTP while they download (`bitswarm play`): one stream server on
// 127.0.0.1 for all of them, started at the first request, each share under its own id
// (`/<id>/<path>`), its pieces read as they are verified (stream/session-source.ts). A share
// paused or finished has its responses cut and its URLs answer 503 until it runs again, when
// it is served again at the same URLs; a share removed answers 404.

import { closed, notRunning } from '../errors.js'
import { metadataOf, transferOf } from '../session/content-reader.js'
import type { Session } from '../session/session.js'
import type { ByteSource } from '../stream/byte-source.js'
import { sessionSource } from '../stream/session-source.js'
import { type ShareStreamServer, startShareStreams } from '../stream/share-streams.js'
import { fileUrls, type FileUrl, streamedFile } from '../stream/streamed-file.js'
import type { ShareEntry } from './registry.js'

/** What `POST /shares/<id>/stream` answers: the `stream` event of `bitswarm stream --json`. */
export interface ShareStream {
  infoHash: string
  /** The share's base URL; `<url>/` lists its files. */
  url: string
  files: FileUrl[]
  /** The file streamed, by its path in the share, and its URL. */
  file: string
  fileUrl: string
}

interface Streamed {
  session: Session
  source: ByteSource
  /** The file raised to high priority (asked for by its path), if one was. */
  raised: number | null
}

export class DaemonStreams {
  private server: Promise<ShareStreamServer> | null = null
  private readonly streamed = new Map<string, Streamed>()
  /** Every share streamed until it is removed, with the file asked for (by its path): served
   *  again once it runs after a pause, and the file shown when `play` names none. */
  private readonly asked = new Map<string, string | null>()

  /** `port`: the server's (0: any free one); `sessionOf`: the share's running session now. */
  constructor (private readonly port: number, private readonly sessionOf: (id: string) => Session | undefined) {}

  /** Serves the share (its metadata known), `file` (a path in the share) raised to high
   *  priority as `stream --file` does; without, the file asked for before, else the largest
   *  video or audio file, is shown. */
  async stream (id: string, session: Session, wanted: string | undefined): Promise<ShareStream> {
    const file = wanted ?? this.asked.get(id) ?? undefined
    const meta = await metadataOf(session)
    await transferOf(session) // priorities are the downloader's
    const server = await this.started()
    // Paused or removed meanwhile: nothing to serve (its URLs already say so).
    if (this.sessionOf(id) !== session) throw closed('the share')
    let streamed = this.streamed.get(id)
    if (streamed?.session !== session) {
      streamed = { session, source: sessionSource(session, meta), raised: null }
      this.streamed.set(id, streamed)
    }
    const index = streamedFile(streamed.source.files, file)
    if (file !== undefined && streamed.raised !== index) {
      if (streamed.raised !== null) session.setFilePriority(streamed.raised, 'normal')
      if (session.setFilePriority(index, 'high')) streamed.raised = index
    }
    this.asked.set(id, file ?? null)
    const url = server.mount(id, streamed.source)
    const files = fileUrls(url, streamed.source.files)
    return { infoHash: id, url, files, file: files[index]!.path, fileUrl: files[index]!.url }
  }

  /** The share's session closed (`why`: paused, finished…): its URLs answer 503 meanwhile. */
  pause (id: string, why: string): void {
    if (!this.streamed.delete(id)) return
    void this.server?.then((server) => server.unmount(id, why), () => {})
  }

  /** The share runs again with a new session: served again if it was streamed. */
  resume (id: string, session: Session): void {
    if (this.asked.has(id)) void this.stream(id, session, undefined).catch(() => {}) // it stopped again
  }

  /** The share is gone: its URLs answer 404. */
  forget (id: string): void {
    this.streamed.delete(id)
    this.asked.delete(id)
    void this.server?.then((server) => server.unmount(id), () => {})
  }

  async close (): Promise<void> {
    await (await this.server?.catch(() => null))?.close()
  }

  /** The one server, started at the first stream; a start that failed is tried again next time. */
  private async started (): Promise<ShareStreamServer> {
    this.server ??= startShareStreams({ port: this.port }, '--stream-port')
    try {
      return await this.server
    } catch (err) {
      this.server = null
      throw err
    }
  }
}

/** Why a share of the daemon without a session cannot be streamed, and what to do. */
export function notStreamable (entry: ShareEntry): Error {
  const id = entry.id.slice(0, 8)
  if (entry.finished === true) return notRunning(id, 'finished', `it reached its seeding limit and is no longer served; its files are in ${entry.path}`)
  if (entry.paused) return notRunning(id, 'paused', `\`bitswarm resume ${id}\` first`)
  return notRunning(id, 'stopped', 'its files could not be read (see `bitswarm ls`)')
}
