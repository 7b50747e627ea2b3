// The file backend: a share read in place, or a download written under its partial name and
// renamed when complete. Reads and writes are positional, on handles a FilePool keeps open;
// no file is ever read whole.

import { constants } from 'node:fs'
import { type FileHandle, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { FILE_IO_CONCURRENCY, PARTIAL_SUFFIX, PARTS_SUFFIX } from '../constants.js'
import { closed, fileExists, ioError, notReadable, notWritable } from '../errors.js'
import type { FileSpan } from '../types.js'
import { forEachLimited } from './concurrent.js'
import { FilePool } from './file-pool.js'
import { readFailure, writeFailure } from './fs-errors.js'
import { Layout } from './layout.js'
import { ensureWritableDir, entryAt, moveIntoPlace, preparePartial, setAsideSkipped } from './partial.js'
import { fileParts, filePath, isSingleFile, safeComponent } from './paths.js'
import { readExactly, sliceChunks, writevExactly } from './positional.js'
import { fileStatesAt } from './file-states.js'
import { type Inside, openInside, pathOf } from './safe-open.js'
import { chunksOf, type FileState, type PieceData, type PieceStorage, type StorageMetadata } from './storage.js'

/** Where a storage's content is, and whether it may be written there. */
interface Location {
  root: string
  writable: boolean
  /** Whether the root may be a symbolic link: only a share's root, which the user named. */
  followRoot: boolean
  /** A finished selective download: the skipped files are under this root instead. */
  parts?: { root: string, files: ReadonlySet<number> }
}

export class FileStorage implements PieceStorage {
  protected readonly meta: Pick<StorageMetadata, 'info'>
  readonly layout: Layout
  /** The shared file or folder, or the partial being written (the final path once done). */
  private location: Location
  private files: FilePool
  /** Reads and writes under way, waited for before the files are closed or moved. */
  private readonly running = new Set<Promise<unknown>>()
  /** Set while the content is being moved: reads and writes wait for it rather than fail. */
  private moving: Promise<void> | null = null
  private closed = false

  constructor (root: string, meta: Pick<StorageMetadata, 'info'>, writable: boolean, followRoot = !writable) {
    this.meta = meta
    this.layout = new Layout(meta.info)
    this.location = { root, writable, followRoot }
    this.files = this.newPool()
  }

  /** Where the content is now. */
  get root (): string { return this.location.root }

  /** Fills `into` with the content bytes from `offset` (several pieces at once, to hash). */
  async readContent (into: Buffer, offset: number): Promise<void> {
    await this.run(async () => {
      await this.eachSpan(this.layout.spans(offset, into.byteLength), async (span, at) => {
        const path = this.pathOf(span.file)
        const got = await this.files.use(span.file, (handle) => readExactly(handle, into, at, span.length, span.fileOffset))
          .catch((err: unknown) => { throw readFailure(path, err) })
        if (got < span.length) throw ioError(`cannot read ${path}`, 'it ended early (did it change since it was shared?)')
      })
    })
  }

  /** Flushes the files `files` to the disk (fsync): the pieces written to them survive a
   *  crash or a power cut from now on. */
  async sync (files: Iterable<number>): Promise<void> {
    const list = [...files]
    await this.run(async () => {
      await forEachLimited(list.length, FILE_IO_CONCURRENCY, async (i) => {
        const file = list[i]!
        await this.files.use(file, async (handle) => await handle.sync())
          .catch((err: unknown) => { throw writeFailure(this.pathOf(file), err) })
      })
    })
  }

  /** The size and modification time of each file of `files` (every file when absent). */
  async fileStates (files?: readonly number[]): Promise<FileState[]> {
    return await fileStatesAt(this.location.root, this.meta.info, this.location.followRoot, files)
  }

  async read (piece: number, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    const pieceLength = this.layout.pieceLength(piece)
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > pieceLength) {
      throw new RangeError(`read of ${length} bytes at ${offset} outside piece ${piece} of ${pieceLength} bytes`)
    }
    const block = into?.byteLength === length ? into : Buffer.allocUnsafe(length)
    await this.readContent(block, piece * this.layout.pieceSize + offset)
    return block
  }

  async writePiece (piece: number, data: PieceData): Promise<void> {
    const pieceLength = this.layout.pieceLength(piece)
    const chunks = chunksOf(data)
    const length = chunks.reduce((sum, c) => sum + c.byteLength, 0)
    if (length !== pieceLength) {
      throw new RangeError(`piece ${piece} is ${pieceLength} bytes, got ${length}`)
    }
    await this.run(async () => {
      if (!this.location.writable) throw notWritable(this.location.root, 'opened read-only')
      await this.eachSpan(this.layout.pieceSpans(piece), async (span, at) => {
        const path = this.pathOf(span.file)
        await this.files.use(span.file, (handle) => writevExactly(handle, sliceChunks(chunks, at, span.length), span.fileOffset))
          .catch((err: unknown) => { throw writeFailure(path, err) })
      })
    })
  }

  /** Waits for the reads and writes under way, then closes every file. */
  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    while (this.moving !== null) await this.moving
    await Promise.allSettled([...this.running])
    await this.closeFiles()
  }

  /** Closes every file once the reads and writes under way are done, runs `move` and goes on
   *  from the location it returns (or, if it fails, from where it was). */
  protected async relocate (move: () => Promise<Location>): Promise<void> {
    if (this.closed) throw closed('storage')
    while (this.moving !== null) await this.moving
    let settle!: () => void
    this.moving = new Promise((resolve) => { settle = resolve })
    try {
      await Promise.allSettled([...this.running])
      await this.closeFiles() // a deferred write error surfaces here, before anything moves
      this.location = await move()
    } finally {
      this.files = this.newPool()
      this.moving = null
      settle()
    }
  }

  private async run<T> (operation: () => Promise<T>): Promise<T> {
    while (this.moving !== null) await this.moving
    if (this.closed) throw closed('storage')
    const running = operation()
    const forget = (): void => { this.running.delete(running) }
    this.running.add(running)
    running.then(forget, forget)
    return await running
  }

  /** Runs `task` for each span with the span's offset in the piece or block. A piece of a
   *  folder share may cover many small files: their I/O overlaps, a few files at a time. */
  private async eachSpan (spans: FileSpan[], task: (span: FileSpan, at: number) => Promise<void>): Promise<void> {
    if (spans.length === 1) return await task(spans[0]!, 0) // the common case, kept direct
    const starts: number[] = []
    let at = 0
    for (const span of spans) {
      starts.push(at)
      at += span.length
    }
    await forEachLimited(spans.length, FILE_IO_CONCURRENCY, (i) => task(spans[i]!, starts[i]!))
  }

  private async closeFiles (): Promise<void> {
    try {
      await this.files.close()
    } catch (err) {
      throw ioError(`cannot close the files of ${this.location.root}`, err)
    }
  }

  private newPool (): FilePool {
    const { writable } = this.location
    return new FilePool((file) => {
      const where = this.insideOf(file)
      return writable ? openForWriting(where) : openForReading(where, this.meta.info.files[file]!.length)
    })
  }

  private insideOf (file: number): Inside {
    const aside = this.location.parts?.files.has(file) === true
    return { root: aside ? this.location.parts!.root : this.location.root, parts: fileParts(this.meta.info, file), followRoot: aside ? false : this.location.followRoot }
  }

  protected pathOf (file: number): string {
    const aside = this.location.parts?.files.has(file) === true
    return filePath(aside ? this.location.parts!.root : this.location.root, this.meta.info, file)
  }
}

export class DownloadStorage extends FileStorage {
  /** Where the content is written meanwhile: finalPath + PARTIAL_SUFFIX. */
  readonly partialPath: string
  readonly finalPath: string
  /** A partial from an interrupted run was found and kept: its pieces are worth rechecking.
   *  False for a fresh download, whose content is all holes. */
  readonly resumed: boolean
  private readonly force: boolean
  /** Files the selection leaves out: set aside at finalize (partial.ts setAsideSkipped). */
  private readonly skipped: ReadonlySet<number>
  private finalizing: Promise<string> | null = null

  protected override readonly meta: StorageMetadata

  constructor (finalPath: string, meta: StorageMetadata, resumed: boolean, force: boolean, skipped: ReadonlySet<number> = new Set()) {
    super(finalPath + PARTIAL_SUFFIX, meta, true, false)
    this.meta = meta
    this.partialPath = finalPath + PARTIAL_SUFFIX
    this.finalPath = finalPath
    this.resumed = resumed
    this.force = force
    this.skipped = skipped
  }

  /** Gives the content its final name; call once every piece is written and verified.
   *  Reads go on from the final path afterwards (so a finished download can seed) and
   *  writes are refused. Returns the final path. If it fails (say the final name appeared
   *  meanwhile), the partial is intact, still writable, and finalize may be tried again. */
  finalize (): Promise<string> {
    this.finalizing ??= this.relocate(async () => {
      const aside = this.skipped.size > 0 && !isSingleFile(this.meta.info)
      const partsPath = this.finalPath + PARTS_SUFFIX
      if (aside) await setAsideSkipped(this.partialPath, partsPath, this.meta.info, this.skipped)
      await moveIntoPlace(this.partialPath, this.finalPath, isSingleFile(this.meta.info), this.force)
      return { root: this.finalPath, writable: false, followRoot: false, ...(aside ? { parts: { root: partsPath, files: this.skipped } } : {}) }
    }).then(() => this.finalPath, (err: unknown) => {
      this.finalizing = null
      throw err
    })
    return this.finalizing
  }
}

/** Read-only storage over the original file or folder being shared: `rootPath` is the file
 *  itself, or the folder whose files are at rootPath/…path. */
export async function openShare (rootPath: string, meta: StorageMetadata): Promise<FileStorage> {
  const root = resolve(rootPath)
  const single = isSingleFile(meta.info)
  let isFile: boolean
  try {
    isFile = (await stat(root)).isFile()
  } catch (err) {
    throw readFailure(root, err)
  }
  if (single !== isFile) {
    throw notReadable(root, new Error(single ? 'the share is a single file, this is not a file' : 'the share is a folder, this is not a folder'))
  }
  return new FileStorage(root, meta, false, true)
}

export interface DownloadOptions {
  /** Replace an existing entry at the final path (only once the new content is complete). */
  force?: boolean
  /** Files the selection leaves out. */
  skipped?: ReadonlySet<number>
}

/** Storage for a download into `outDir`: written at outDir/name + PARTIAL_SUFFIX, renamed to
 *  outDir/name by finalize(). A partial left by an interrupted run is kept and reused. */
export async function createDownload (outDir: string, meta: StorageMetadata, opts: DownloadOptions = {}): Promise<DownloadStorage> {
  const dir = resolve(outDir)
  const force = opts.force === true
  const finalPath = join(dir, safeComponent(meta.name, 'name'))
  await ensureWritableDir(dir)
  // Checked before anything is written, so a refused download leaves no trace.
  if (!force && (await entryAt(finalPath)) !== null) throw fileExists(finalPath)
  const resumed = await preparePartial(finalPath + PARTIAL_SUFFIX, meta.info, force)
  return new DownloadStorage(finalPath, meta, resumed, force, opts.skipped)
}

/** Opens a file of the partial; preparePartial created it, so a missing file is an error
 *  (it was removed during the download), not something to recreate empty. */
async function openForWriting (where: Inside): Promise<FileHandle> {
  try {
    return await openInside(where, constants.O_RDWR)
  } catch (err) {
    throw writeFailure(pathOf(where), err)
  }
}

/** Opens a shared file, refusing one whose size is not the one it was shared with: its
 *  pieces would fail every peer's hash check. */
async function openForReading (where: Inside, length: number): Promise<FileHandle> {
  const path = pathOf(where)
  let handle: FileHandle
  try {
    handle = await openInside(where, constants.O_RDONLY)
  } catch (err) {
    throw readFailure(path, err)
  }
  try {
    const { size } = await handle.stat()
    if (size !== length) throw ioError(`cannot read ${path}`, `it is ${size} bytes, the share says ${length} (did it change since it was shared?)`)
    return handle
  } catch (err) {
    // The reason it is refused is what matters; a failure to close adds nothing to it.
    await handle.close().catch(() => {})
    throw readFailure(path, err)
  }
}
