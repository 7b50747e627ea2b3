// A download whose every step survives a crash: piece writes go through the resume journal,
// and the move into place is ordered so that a run killed anywhere in it finishes on the
// next start (src/storage/open-download.ts takes it from there).

import { dirname } from 'node:path'
import { type CrashPoint, crashNow, reachedCrashPoint } from './crash-point.js'
import { syncFolder } from './atomic-file.js'
import { chunksOf, type PieceData, type PieceStorage } from './storage.js'
import type { DownloadStorage, FileStorage } from './file-storage.js'
import type { ResumeKeeper } from './resume-keeper.js'

/** Storage of a download: pieces, and the final move once every piece is held. */
export interface DownloadTarget extends PieceStorage {
  /** Gives the content its final name (once every piece is written) and returns it. */
  finalize (): Promise<string>
}

export class ResumableDownload implements DownloadTarget {
  private readonly download: DownloadStorage
  private readonly keeper: ResumeKeeper
  private readonly writes = new Set<Promise<unknown>>()

  constructor (download: DownloadStorage, keeper: ResumeKeeper) {
    this.download = download
    this.keeper = keeper
  }

  async read (piece: number, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    return await this.download.read(piece, offset, length, into)
  }

  /** Journals the piece, then writes it; only a completed write counts it as held. */
  writePiece (piece: number, data: PieceData): Promise<void> {
    const write = this.journaledWrite(piece, data)
    const forget = (): void => { this.writes.delete(write) }
    this.writes.add(write)
    write.then(forget, forget)
    return write
  }

  /** The content is complete: synced and recorded as such, renamed, the folder synced, and
   *  only then the resume files removed. A crash before the rename resumes with every piece
   *  trusted; after it, the next run finds the final name and the record and just finishes. */
  async finalize (): Promise<string> {
    await Promise.allSettled([...this.writes])
    await this.keeper.completeCheckpoint()
    crashPointHere('before-rename')
    const path = await this.download.finalize()
    await syncFolder(dirname(path))
    crashPointHere('after-rename')
    await this.keeper.remove()
    return path
  }

  /** Waits for the writes under way, records them, then closes the files. */
  async close (): Promise<void> {
    await Promise.allSettled([...this.writes])
    await this.keeper.close()
    await this.download.close()
  }

  private async journaledWrite (piece: number, data: PieceData): Promise<void> {
    await this.keeper.intend(piece)
    if (reachedCrashPoint('piece-write')) {
      // Tests only: half the piece's bytes as they should be, the rest not.
      await this.download.writePiece(piece, tornCopy(data))
      crashNow('piece-write', { piece })
    }
    await this.download.writePiece(piece, data)
    this.keeper.written(piece)
  }
}

/** A download a previous run completed and renamed before it could remove its resume files:
 *  the content is read from its final place; finalize only removes what is left. */
export class FinishedDownload implements DownloadTarget {
  private readonly storage: FileStorage
  private readonly finish: () => Promise<void>

  constructor (storage: FileStorage, finish: () => Promise<void>) {
    this.storage = storage
    this.finish = finish
  }

  async read (piece: number, offset: number, length: number, into?: Buffer): Promise<Buffer> {
    return await this.storage.read(piece, offset, length, into)
  }

  async writePiece (): Promise<void> {
    throw new RangeError('a finished download holds every piece')
  }

  async finalize (): Promise<string> {
    await this.finish()
    return this.storage.root
  }

  async close (): Promise<void> {
    await this.storage.close()
  }
}

function crashPointHere (point: CrashPoint): void {
  if (reachedCrashPoint(point)) crashNow(point, {})
}

function tornCopy (data: PieceData): Buffer {
  const bytes = Buffer.concat(chunksOf(data))
  for (let at = bytes.byteLength >> 1; at < bytes.byteLength; at++) bytes[at] = bytes[at]! ^ 0xa5
  return bytes
}
