// A session's content as the stream server's ByteSource: its files by their path in the share,
// each read waiting for verified pieces (session/content-reader.ts) and moving its reader, so
// the pieces just ahead of it are fetched first (session/stream-readers.ts).

import type { Metadata } from '../metadata/metadata.js'
import { selectionPath } from '../selection/file-selection.js'
import { readContent, transferOf } from '../session/content-reader.js'
import type { Session } from '../session/session.js'
import { Layout } from '../storage/layout.js'
import type { ByteSource } from './byte-source.js'

/** The session's files (its metadata known), read as its pieces are verified. */
export function sessionSource (session: Session, meta: Metadata): ByteSource {
  const layout = new Layout(meta.info)
  const files = meta.info.files.map((file) => ({ path: selectionPath(file, meta.name), size: file.length }))
  return {
    files,
    read: async (fileIndex, offset, length, signal, reader) => {
      const { start, end } = layout.fileRange(fileIndex)
      if (offset < 0 || length < 0 || start + offset + length > end) throw new RangeError(`a read of ${length} bytes at ${offset} of a file of ${end - start} bytes`)
      if (reader !== undefined) (await transferOf(session, signal)).readers.move(reader, start + offset)
      return await readContent(session, start + offset, length, signal)
    },
    leave: (reader) => session.transfer?.readers.leave(reader)
  }
}
