// Builds the metadata of a file or folder on disk: walk it, then hash its pieces.
// The only module of the metadata layer that touches the disk.

import { lstat, readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { TextDecoder } from 'node:util'
import { FILE_IO_CONCURRENCY, HASH_BYTES, MAX_FILES, MAX_PATH_DEPTH, MAX_PIECES } from '../constants.js'
import { invalidMetadata, ioError, notFound, notReadable, tooManyPieces } from '../errors.js'
import { type HashOptions, type HashProgress, hashPieces } from '../piece-hashing.js'
import { forEachLimited } from '../storage/concurrent.js'
import { FileStorage } from '../storage/file-storage.js'
import type { Info } from '../types.js'
import { validateInfo } from './info.js'
import type { MetadataCache } from './metadata-cache.js'
import { Metadata } from './metadata.js'
import { validateComponent } from './paths.js'
import { choosePieceSize, pieceCount, validatePieceSize } from './piece-size.js'

export interface ShareFile {
  /** Relative to the root; empty when the share is a single file. */
  path: string[]
  length: number
  absolute: string
  /** Modification time in nanoseconds: with the length, what says the file is unchanged. */
  mtimeNs: bigint
  /** Its owner may run it (the mode's user execute bit). */
  executable: boolean
}

/** What a folder share leaves out: a symbolic link is never followed (it may lead outside the
 *  folder, or loop), and sockets, pipes and devices have no content to share. */
export interface SkippedEntry {
  path: string[]
  kind: 'symbolic link' | 'special file'
}

export interface ShareLayout {
  /** Absolute path of the shared file or folder. */
  root: string
  isFile: boolean
  /** In canonical order: the order of the files in the info and in the piece stream. */
  files: ShareFile[]
  /** Empty folders, in canonical order (kept: a download recreates them). */
  folders: string[][]
  skipped: SkippedEntry[]
}

export interface CreateOptions extends HashOptions {
  /** A power of two within the limits; by default chosen from the total size. */
  pieceSize?: number
  /** Called after each piece is hashed, ending at hashedBytes === totalBytes; `progress`
   *  also counts the pieces. Not called when the cache already knew the share. */
  onProgress?: (hashedBytes: number, totalBytes: number, progress: HashProgress) => void
  /** Metadata of shares hashed before: used when every file still has the size and
   *  modification time it had then, and filled after hashing. */
  cache?: MetadataCache | null
  /** What the walk left out of a folder share (symbolic links, special files), once, before
   *  hashing; the share goes on without them. */
  onSkipped?: (skipped: SkippedEntry[]) => void
}

export async function createMetadata (path: string, opts: CreateOptions = {}): Promise<Metadata> {
  const share = await walkShare(path)
  if (share.skipped.length > 0) opts.onSkipped?.(share.skipped)
  const totalBytes = share.files.reduce((sum, file) => sum + file.length, 0)
  if (opts.pieceSize !== undefined) validatePieceSize(opts.pieceSize)
  const pieceSize = opts.pieceSize ?? choosePieceSize(totalBytes)
  const pieces = pieceCount(totalBytes, pieceSize)
  if (pieces > MAX_PIECES) throw tooManyPieces(pieces, MAX_PIECES)
  const cached = await opts.cache?.load(share, opts.pieceSize)
  if (cached != null) return cached

  const info: Info = {
    name: basename(share.root),
    pieceSize,
    files: share.files.map(file => file.executable ? { path: file.path, length: file.length, executable: true } : { path: file.path, length: file.length }),
    pieceHashes: Buffer.alloc(pieces * HASH_BYTES),
    ...(share.folders.length > 0 ? { folders: share.folders } : {})
  }
  validateInfo(info) // refuse a bad name or layout before spending minutes hashing
  await hashShare(share, info, totalBytes, opts.onProgress, opts)
  await refuseChanged(share)
  const meta = Metadata.fromInfo(info)
  await opts.cache?.store(share, opts.pieceSize, meta)
  return meta
}

/** Lists what `path` shares. A symlink given as the root is followed (the user named it);
 *  inside a folder, symbolic links and special files are skipped (listed in `skipped`), and
 *  empty folders are kept. */
export async function walkShare (path: string): Promise<ShareLayout> {
  const root = resolve(path)
  const stats = await stat(root, { bigint: true }).catch((err: unknown) => { throw fsError(path, err) })
  if (stats.isFile()) {
    return { root, isFile: true, files: [{ path: [], length: Number(stats.size), absolute: root, mtimeNs: stats.mtimeNs, executable: isExecutable(stats.mode) }], folders: [], skipped: [] }
  }
  if (!stats.isDirectory()) throw invalidMetadata(`${path} is not a regular file or folder`)
  const walk: Walk = { files: [], folders: [], skipped: [] }
  await walkFolder(root, [], walk)
  if (walk.files.length === 0) throw invalidMetadata(`${path} contains no files${walk.skipped.length > 0 ? ` (${walk.skipped.length} symbolic links or special files skipped)` : ''}`)
  return { root, isFile: false, ...walk }
}

type Walk = Pick<ShareLayout, 'files' | 'folders' | 'skipped'>

function isExecutable (mode: bigint | number): boolean {
  return (BigInt(mode) & 0o100n) !== 0n
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

async function walkFolder (folder: string, relative: string[], walk: Walk): Promise<void> {
  const { files } = walk
  const before = files.length + walk.folders.length
  // Names are read as bytes: a non-UTF-8 name would otherwise turn into U+FFFD and name
  // a different (missing) file. Byte order is also the canonical order.
  const names = await readdir(folder, { encoding: 'buffer' }).catch((err: unknown) => { throw fsError(folder, err) })
  names.sort(Buffer.compare)
  for (const raw of names) {
    const name = decodeName(raw, folder)
    const absolute = join(folder, name)
    validateComponent(name, JSON.stringify(absolute))
    const path = [...relative, name]
    if (path.length > MAX_PATH_DEPTH) throw invalidMetadata(`${absolute} is nested more than ${MAX_PATH_DEPTH} levels deep`)
    const stats = await lstat(absolute, { bigint: true }).catch((err: unknown) => { throw fsError(absolute, err) })
    if (stats.isDirectory()) {
      await walkFolder(absolute, path, walk)
    } else if (stats.isFile()) {
      files.push({ path, length: Number(stats.size), absolute, mtimeNs: stats.mtimeNs, executable: isExecutable(stats.mode) })
      if (files.length > MAX_FILES) throw invalidMetadata(`more than ${MAX_FILES} files`)
    } else {
      walk.skipped.push({ path, kind: stats.isSymbolicLink() ? 'symbolic link' : 'special file' })
    }
  }
  // Nothing inside (or only what was skipped): an empty folder, kept as one.
  if (relative.length > 0 && files.length + walk.folders.length === before) {
    walk.folders.push(relative)
    if (walk.folders.length > MAX_FILES) throw invalidMetadata(`more than ${MAX_FILES} empty folders`)
  }
}

function decodeName (raw: Buffer, folder: string): string {
  try {
    return strictUtf8.decode(raw)
  } catch {
    throw invalidMetadata(`a name in ${folder} is not valid UTF-8 (${raw.toString('hex')} in hex)`)
  }
}

function fsError (path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR' ? notFound(path) : notReadable(path, err)
}

/** Hashes every piece into info.pieceHashes. Pieces are cut from the concatenation of the
 *  files, so one piece may span several; they are read in place, several pieces a read and
 *  several reads in flight (src/piece-hashing.ts), never following a link inside a folder. */
async function hashShare (
  share: ShareLayout,
  info: Info,
  totalBytes: number,
  onProgress: CreateOptions['onProgress'],
  hashing: HashOptions
): Promise<void> {
  const files = new FileStorage(share.root, { info }, false, true)
  const source = { pieceSize: info.pieceSize, totalBytes, read: async (into: Buffer, offset: number) => await files.readContent(into, offset) }
  try {
    await hashPieces(source, null, (piece, digest) => { digest.copy(info.pieceHashes, piece * HASH_BYTES) },
      onProgress === undefined ? undefined : (progress) => onProgress(progress.bytes, progress.totalBytes, progress), hashing)
  } finally {
    await files.close()
  }
}

/** A file written to while it was hashed would get hashes of neither version: refused. */
async function refuseChanged (share: ShareLayout): Promise<void> {
  await forEachLimited(share.files.length, FILE_IO_CONCURRENCY, async (i) => {
    const file = share.files[i]!
    const now = await stat(file.absolute, { bigint: true }).catch((err: unknown) => { throw fsError(file.absolute, err) })
    if (Number(now.size) !== file.length || now.mtimeNs !== file.mtimeNs) {
      throw ioError(`reading ${file.absolute}`, new Error('the file changed while it was being hashed'))
    }
  })
}
