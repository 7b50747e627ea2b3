// Keeps a download's resume record and journal up to date, so a run killed at any moment
// (SIGKILL, a power cut) resumes without re-hashing what it had verified:
//
//  - before a piece is written, its journal slot is filled (a 4-byte write, no fsync);
//  - every RESUME_CHECKPOINT_MS, and at close, the files written since the last record are
//    fsynced, then a new record (the pieces written, each file's size and modification time,
//    the first journal slot of a write not finished) replaces the old one atomically.
//
// The record only ever names pieces whose bytes were fsynced before it was written; the
// journal names the rest, which the next run re-hashes. A failed fsync may have dropped
// dirty pages, so after one no new record is written in this run (the journal covers it).

import { constants } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { Bitfield } from '../bitfield.js'
import { RESUME_CHECKPOINT_DUTY, RESUME_CHECKPOINT_MS } from '../constants.js'
import { closed, isBitswarmError } from '../errors.js'
import { readSmallFile, removeFile, replaceFile } from './atomic-file.js'
import { reportAtCrash } from './crash-point.js'
import type { FileStorage } from './file-storage.js'
import { writeFailure } from './fs-errors.js'
import { decodeRecord, encodeJournalSlot, encodeRecord, JOURNAL_SLOT_BYTES, type RecordedFile, type ResumeRecord } from './resume-record.js'
import type { FileState } from './storage.js'

export interface ResumePaths {
  record: string
  journal: string
}

/** What a previous run left beside the partial. */
export interface SavedResume {
  record: ResumeRecord | null
  journal: Buffer | null
}

/** Reads the record and journal; a missing or unreadable one is null (everything is then
 *  checked), except a link planted there, which is refused (ERR_SYMLINK). */
export async function readSavedResume (paths: ResumePaths, fileCount: number, pieceCount: number): Promise<SavedResume> {
  const maxRecord = 200 + fileCount * 16 + pieceCount / 8
  const read = async (path: string, max: number): Promise<Buffer | null> => {
    try {
      return await readSmallFile(path, max)
    } catch (err) {
      if (isBitswarmError(err) && err.code === 'ERR_SYMLINK') throw err
      return null
    }
  }
  const recordBytes = await read(paths.record, maxRecord)
  return {
    record: recordBytes === null ? null : decodeRecord(recordBytes),
    // One slot per piece, more only after failed journal writes (each retry takes a new one).
    journal: await read(paths.journal, 2 * pieceCount * JOURNAL_SLOT_BYTES + 4096)
  }
}

/** Journal writes while zeroing it: 1 MiB at a time. */
const ZERO_CHUNK_BYTES = 1024 * 1024

export class ResumeKeeper {
  private readonly storage: FileStorage
  private readonly infoHash: Buffer
  private readonly paths: ResumePaths
  /** Pieces whose write completed (the verified pieces found at start, then each write). */
  private readonly held: Bitfield
  private journal: FileHandle | null = null
  /** Journal slot of each piece journaled in this run, and the pieces not yet written. */
  private readonly slots = new Map<number, number>()
  private readonly unwritten = new Set<number>()
  private nextSlot = 0
  private readonly dirtyFiles = new Set<number>()
  private files: RecordedFile[] = []
  private changed = false
  /** Set by a failed fsync: no record is written for the rest of this run. */
  private poisoned: unknown = null
  /** That failure, reported once by the next write. */
  private failure: unknown = null
  /** Checkpoints run one after another. */
  private chain: Promise<void> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private lastDurationMs = 0
  private lastEnd = 0
  /** Pieces written in this run (for the crash tests' report). */
  writtenThisRun = 0

  constructor (storage: FileStorage, infoHash: Buffer, paths: ResumePaths, have: Bitfield) {
    this.storage = storage
    this.infoHash = infoHash
    this.paths = paths
    this.held = Bitfield.fromBytes(have.length, have.toBytes())
    reportAtCrash(() => ({ written: this.writtenThisRun, held: this.held.size }))
  }

  /** Writes the first record of this run (every piece found held) and empties the journal,
   *  in that order: a crash in between only re-hashes the old journal's pieces. `rehashed`
   *  are the held pieces found by reading them (maybe only in the page cache after a kill):
   *  their files are fsynced first. Then starts the checkpoint timer. */
  async start (rehashed: Iterable<number>): Promise<void> {
    const files = new Set<number>()
    for (const piece of rehashed) for (const span of this.storage.layout.pieceSpans(piece)) files.add(span.file)
    await this.storage.sync(files)
    this.files = toRecorded(await this.storage.fileStates())
    await this.writeRecord(this.held.toBytes(), 0)
    this.journal = await openJournal(this.paths.journal, this.held.length)
    this.timer = setInterval(() => { void this.checkpoint().catch(() => {}) }, RESUME_CHECKPOINT_MS)
    this.timer.unref()
  }

  /** Fills the journal slot of `piece` before its bytes are written (once per piece). */
  async intend (piece: number): Promise<void> {
    if (this.failure !== null) {
      const err = this.failure
      this.failure = null
      throw err
    }
    const journal = this.journal
    if (journal === null) throw closed('the resume journal')
    this.unwritten.add(piece) // before the await: a checkpoint meanwhile must not cover its slot
    if (this.slots.has(piece)) return // a retried write: its slot is still there
    const slot = this.nextSlot++
    this.slots.set(piece, slot)
    try {
      await journal.write(encodeJournalSlot(piece), 0, JOURNAL_SLOT_BYTES, slot * JOURNAL_SLOT_BYTES)
    } catch (err) {
      this.slots.delete(piece) // not written: the retry takes another slot
      this.unwritten.delete(piece)
      throw writeFailure(this.paths.journal, err)
    }
  }

  /** `piece` is written (not yet synced: the next checkpoint covers it). */
  written (piece: number): void {
    this.unwritten.delete(piece)
    this.held.set(piece)
    for (const span of this.storage.layout.pieceSpans(piece)) this.dirtyFiles.add(span.file)
    this.changed = true
    this.writtenThisRun++
  }

  /** Syncs what was written since the last record and writes a new one; one at a time.
   *  `force` writes it even when little time passed (at close and finalize). */
  checkpoint (force = false): Promise<void> {
    const run = this.chain.then(async () => {
      if (!this.changed || this.poisoned !== null || this.journal === null) return
      if (!force && Date.now() - this.lastEnd < RESUME_CHECKPOINT_DUTY * this.lastDurationMs) return
      await this.save()
    })
    this.chain = run.catch(() => {})
    return run
  }

  /** Before the move into place: every byte of the content must be on the disk (a failure
   *  throws: the content stays a partial). The record saying "complete" is written if it
   *  can be; without it the next run re-hashes what the journal names. */
  async completeCheckpoint (): Promise<void> {
    await this.chain
    if (this.poisoned !== null) throw this.poisoned
    await this.checkpoint(true).catch((err: unknown) => {
      if (this.poisoned !== null) throw err
    })
  }

  /** Stops the timer and writes a last record of what was written (writes must be done). */
  async close (): Promise<void> {
    this.stopTimer()
    await this.checkpoint(true).catch(() => {}) // the old record and the journal still hold
    await this.closeJournal()
  }

  /** The content has its final name: the record and journal are of no more use. The
   *  journal goes first, so a crash in between leaves a record saying "complete". */
  async remove (): Promise<void> {
    this.stopTimer()
    await this.chain
    await this.closeJournal()
    await removeFile(this.paths.journal)
    await removeFile(this.paths.record)
  }

  private async save (): Promise<void> {
    const started = Date.now()
    const have = this.held.toBytes()
    let journalFrom = this.nextSlot
    for (const piece of this.unwritten) journalFrom = Math.min(journalFrom, this.slots.get(piece)!)
    const files = [...this.dirtyFiles]
    this.dirtyFiles.clear()
    this.changed = false
    try {
      await this.storage.sync(files)
    } catch (err) {
      // The page cache may have dropped what failed to reach the disk: nothing written from
      // now on is trusted without a re-hash (the journal names it all).
      this.poisoned = err
      this.failure = err
      throw err
    }
    const states = await this.storage.fileStates(files)
    files.forEach((file, i) => { this.files[file] = toRecorded([states[i]!])[0]! })
    try {
      await this.writeRecord(have, journalFrom)
    } catch (err) {
      this.changed = true // synced, but not recorded yet: the next checkpoint tries again
      throw err
    }
    this.lastEnd = Date.now()
    this.lastDurationMs = this.lastEnd - started
  }

  private async writeRecord (have: Buffer, journalFrom: number): Promise<void> {
    const record = encodeRecord({ infoHash: this.infoHash, pieceCount: this.held.length, have, files: this.files, journalFrom })
    await replaceFile(this.paths.record, record, true, 'record-write')
  }

  private stopTimer (): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  private async closeJournal (): Promise<void> {
    const journal = this.journal
    this.journal = null
    await journal?.close().catch(() => {})
  }
}

/** An empty journal with a slot for every piece, written as zeros now so that filling a
 *  slot later never needs a new block of the disk (a full disk fails the piece's own write,
 *  with its own path, not the journal's). */
async function openJournal (path: string, pieceCount: number): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o666)
  } catch (err) {
    throw writeFailure(path, err)
  }
  try {
    const total = pieceCount * JOURNAL_SLOT_BYTES
    const zeros = Buffer.alloc(Math.min(ZERO_CHUNK_BYTES, total))
    for (let at = 0; at < total; at += zeros.byteLength) {
      await handle.write(zeros, 0, Math.min(zeros.byteLength, total - at), at)
    }
    return handle
  } catch (err) {
    await handle.close().catch(() => {})
    throw writeFailure(path, err)
  }
}

function toRecorded (states: readonly FileState[]): RecordedFile[] {
  // A file that is not there (it cannot be: the partial was just laid out) records as size
  // 0 at time 0, which no real file matches, so its pieces are checked next time.
  return states.map((state) => state ?? { size: 0, mtimeNs: 0n })
}
