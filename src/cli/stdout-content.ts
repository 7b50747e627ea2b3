// `get -o -`: the content of a single-file share on standard output, in order, each piece
// as soon as it and every piece before it are verified; written no faster than the reader
// takes it (one piece in memory at a time). A closed pipe ends the command like SIGPIPE
// (the stop watcher sees the loss); here it just ends the copying.

import { invalidOption } from '../errors.js'
import { contentInOrder, metadataOf } from '../session/content-reader.js'
import type { Session } from '../session/session.js'
import { isSingleFile } from '../storage/paths.js'
import { outputs } from './output.js'

/** Resolves true once all of it was written, false if standard output went away first. */
export async function copyContentToStdout (session: Session, signal: AbortSignal): Promise<boolean> {
  const stdout = outputs().stdout
  const meta = await metadataOf(session, signal)
  if (!isSingleFile(meta.info)) {
    throw invalidOption(`-o - writes one file's content, and "${meta.name}" is a folder of ${meta.info.files.length} files: give -o a folder`)
  }
  for await (const part of contentInOrder(session, 0, signal)) {
    if (!stdout.write(part)) await stdout.flushed()
    if (stdout.lost !== null) return false
  }
  await stdout.flushed()
  return stdout.lost === null
}
