// A session's content read in order as its pieces are verified: what standard output
// (`get -o -`) or an HTTP range reader needs. Only verified pieces are ever read, one piece
// in memory at a time; a read waits for the pieces it needs and fails if the session closes
// or fails first, or the caller aborts.

import { closed } from '../errors.js'
import type { Metadata } from '../metadata/metadata.js'
import type { Session } from './session.js'
import type { Transfer } from './transfer.js'

/** `length` bytes of the content at `offset`, once every piece they lie in is verified. */
export async function readContent (session: Session, offset: number, length: number, signal?: AbortSignal): Promise<Buffer> {
  const transfer = await transferOf(session, signal)
  const { meta } = transfer
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > meta.totalBytes) {
    throw new RangeError(`a read of ${length} bytes at ${offset} of content of ${meta.totalBytes} bytes`)
  }
  const parts: Buffer[] = []
  for (let at = offset; at < offset + length;) {
    const piece = Math.floor(at / meta.pieceSize)
    const inPiece = at - piece * meta.pieceSize
    const take = Math.min(meta.pieceLength(piece) - inPiece, offset + length - at)
    await untilHeld(session, transfer, piece, signal)
    parts.push(await transfer.storage.read(piece, inPiece, take))
    at += take
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts)
}

/** The whole content from `start`, piece by piece, each as soon as it (and every one before
 *  it) is verified. */
export async function * contentInOrder (session: Session, start = 0, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const { meta } = await transferOf(session, signal)
  for (let at = start; at < meta.totalBytes;) {
    const piece = Math.floor(at / meta.pieceSize)
    const end = Math.min(meta.totalBytes, (piece + 1) * meta.pieceSize)
    yield await readContent(session, at, end - at, signal)
    at = end
  }
}

/** The session's metadata, once known. */
export async function metadataOf (session: Session, signal?: AbortSignal): Promise<Metadata> {
  return await waitFor(session, signal, () => session.meta, 'metadata')
}

/** The session's transfer, once the metadata is known and its storage open. */
export async function transferOf (session: Session, signal?: AbortSignal): Promise<Transfer> {
  return await waitFor(session, signal, () => session.transfer)
}

async function untilHeld (session: Session, transfer: Transfer, piece: number, signal?: AbortSignal): Promise<void> {
  await waitFor(session, signal, () => transfer.downloader.have.has(piece) ? true : null)
}

/** Resolves with `ready()` once it is not null, looking again after each event that may
 *  change it; rejects when the session closes or fails, or on abort. */
async function waitFor<T> (session: Session, signal: AbortSignal | undefined, ready: () => T | null, also?: 'metadata'): Promise<T> {
  signal?.throwIfAborted()
  const now = ready()
  if (now !== null) return now
  return await new Promise<T>((resolve, reject) => {
    const check = (): void => {
      const value = ready()
      if (value === null) return
      cleanup()
      resolve(value)
    }
    const fail = (err: unknown): void => {
      cleanup()
      reject(err)
    }
    const onClose = (): void => fail(closed('the session'))
    const onAbort = (): void => fail(signal!.reason)
    const cleanup = (): void => {
      session.off('piece-verified', check)
      session.off('status', check)
      if (also !== undefined) session.off(also, check)
      session.off('close', onClose)
      session.off('error', fail)
      signal?.removeEventListener('abort', onAbort)
    }
    session.on('piece-verified', check)
    session.on('status', check)
    if (also !== undefined) session.on(also, check)
    session.once('close', onClose)
    session.once('error', fail)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
