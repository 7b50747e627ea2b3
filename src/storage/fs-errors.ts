// The operating system's errors turned into bitswarm's coded ones, naming the path involved.

import { type BitswarmError, diskFull, ioError, isBitswarmError, notFound, notReadable, notWritable, symlinkRefused } from '../errors.js'

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
    case 'ELOOP': // O_NOFOLLOW met a symbolic link
      return symlinkRefused(path)
    default:
      return ioError(`cannot read ${path}`, err)
  }
}

/** Permission problems are notWritable, a full disk or quota diskFull; the rest (EIO,
 *  EFBIG…) is an ioError whose message carries the OS code. */
export function writeFailure (path: string, err: unknown): BitswarmError {
  if (isBitswarmError(err)) return err
  switch (errnoOf(err)) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return notWritable(path, err)
    case 'ENOSPC':
    case 'EDQUOT':
      return diskFull(path, err)
    case 'ELOOP':
      return symlinkRefused(path)
    default:
      return ioError(`cannot write ${path}`, err)
  }
}

/** Whether an error means the download cannot write for now (disk full, I/O error,
 *  permissions): it stops asking for pieces, keeps serving, and tries again later. */
export function isWriteStall (err: unknown): boolean {
  return isBitswarmError(err) && (err.code === 'ERR_DISK_FULL' || err.code === 'ERR_IO' || err.code === 'ERR_NOT_WRITABLE')
}
