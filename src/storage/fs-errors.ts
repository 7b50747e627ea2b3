// The operating system's errors turned into bitswarm's coded ones, naming the path involved.

import { type BitswarmError, ioError, isBitswarmError, notFound, notReadable, notWritable } from '../errors.js'

export function errnoOf (err: unknown): string | undefined {
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined
}

export function readFailure (path: string, err: unknown): BitswarmError {
  if (isBitswarmError(err)) return err
  switch (errnoOf(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return notFound(path)
    case 'EACCES':
    case 'EPERM':
      return notReadable(path, err)
    default:
      return ioError(`cannot read ${path}`, err)
  }
}

/** Permission problems are notWritable; the rest (ENOSPC, EDQUOT, EIO, EFBIG…) is an
 *  ioError whose message carries the OS code, so "disk full" is visible as such. */
export function writeFailure (path: string, err: unknown): BitswarmError {
  if (isBitswarmError(err)) return err
  switch (errnoOf(err)) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritable(path, err)
    default:
      return ioError(`cannot write ${path}`, err)
  }
}
