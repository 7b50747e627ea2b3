// The resume record and the journal, as bytes (pure: no file system).
//
// The record says which pieces were durably on disk (their files fsynced) when it was
// written, with every file's size and modification time so a later run can tell the files
// are still the ones it describes. The journal holds one slot per piece write, filled
// *before* the write starts; the record names the first slot it does not cover. After a
// crash, the pieces in the uncovered slots are the ones to re-hash: they were being written,
// or were written after the record.

import { createHash } from 'node:crypto'
import { HASH_BYTES } from '../constants.js'

const MAGIC = Buffer.from('BSWRESUM', 'latin1')
const VERSION = 1
/** magic, version, info hash, piece count, first uncovered journal slot, file count. */
const HEADER_BYTES = MAGIC.byteLength + 1 + HASH_BYTES + 4 + 4 + 4
const FILE_BYTES = 16
/** Journal slots are a piece index + 1, so a zero (never written) slot means nothing. */
export const JOURNAL_SLOT_BYTES = 4

export interface RecordedFile {
  size: number
  /** Modification time in nanoseconds, as stat reports it with bigint: true. */
  mtimeNs: bigint
}

export interface ResumeRecord {
  infoHash: Buffer
  pieceCount: number
  /** The bitfield bytes (most significant bit first) of the pieces held. */
  have: Buffer
  files: RecordedFile[]
  /** Journal slots before this one are covered by the record. */
  journalFrom: number
}

export function encodeRecord (record: ResumeRecord): Buffer {
  const bitfieldBytes = Math.ceil(record.pieceCount / 8)
  if (record.have.byteLength !== bitfieldBytes) throw new RangeError(`bitfield of ${record.have.byteLength} bytes for ${record.pieceCount} pieces`)
  if (record.infoHash.byteLength !== HASH_BYTES) throw new RangeError('info hash of the wrong length')
  const body = Buffer.alloc(HEADER_BYTES + record.files.length * FILE_BYTES + bitfieldBytes)
  let at = MAGIC.copy(body, 0)
  at = body.writeUInt8(VERSION, at)
  at += record.infoHash.copy(body, at)
  at = body.writeUInt32LE(record.pieceCount, at)
  at = body.writeUInt32LE(record.journalFrom, at)
  at = body.writeUInt32LE(record.files.length, at)
  for (const file of record.files) {
    at = body.writeBigUInt64LE(BigInt(file.size), at)
    at = body.writeBigUInt64LE(file.mtimeNs, at)
  }
  record.have.copy(body, at)
  return Buffer.concat([body, checksum(body)])
}

/** The record in `bytes`, or null when they are not a whole, intact record (torn, corrupt,
 *  another version): the caller then checks every piece, as with no record at all. */
export function decodeRecord (bytes: Uint8Array): ResumeRecord | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (data.byteLength < HEADER_BYTES + HASH_BYTES) return null
  const body = data.subarray(0, data.byteLength - HASH_BYTES)
  if (!checksum(body).equals(data.subarray(body.byteLength))) return null
  if (!body.subarray(0, MAGIC.byteLength).equals(MAGIC) || body.readUInt8(MAGIC.byteLength) !== VERSION) return null
  let at = MAGIC.byteLength + 1
  const infoHash = Buffer.from(body.subarray(at, at + HASH_BYTES))
  at += HASH_BYTES
  const pieceCount = body.readUInt32LE(at)
  const journalFrom = body.readUInt32LE(at + 4)
  const fileCount = body.readUInt32LE(at + 8)
  at += 12
  const bitfieldBytes = Math.ceil(pieceCount / 8)
  if (body.byteLength !== HEADER_BYTES + fileCount * FILE_BYTES + bitfieldBytes) return null
  const files: RecordedFile[] = []
  for (let i = 0; i < fileCount; i++) {
    const size = body.readBigUInt64LE(at)
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) return null
    files.push({ size: Number(size), mtimeNs: body.readBigUInt64LE(at + 8) })
    at += FILE_BYTES
  }
  const have = Buffer.from(body.subarray(at, at + bitfieldBytes))
  const spare = bitfieldBytes * 8 - pieceCount
  if (spare > 0 && (have[bitfieldBytes - 1]! & ((1 << spare) - 1)) !== 0) return null
  return { infoHash, pieceCount, have, files, journalFrom }
}

/** One journal slot: the piece about to be written. */
export function encodeJournalSlot (piece: number): Buffer {
  const slot = Buffer.alloc(JOURNAL_SLOT_BYTES)
  slot.writeUInt32LE(piece + 1)
  return slot
}

/** The pieces named in the journal from slot `from` on: empty slots, a torn last slot and
 *  values past the last piece (what a crash can leave) name nothing. Ascending, distinct. */
export function decodeJournal (bytes: Uint8Array, from: number, pieceCount: number): number[] {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pieces = new Set<number>()
  for (let at = from * JOURNAL_SLOT_BYTES; at + JOURNAL_SLOT_BYTES <= data.byteLength; at += JOURNAL_SLOT_BYTES) {
    const value = data.readUInt32LE(at)
    if (value > 0 && value <= pieceCount) pieces.add(value - 1)
  }
  return [...pieces].sort((a, b) => a - b)
}

function checksum (body: Buffer): Buffer {
  return createHash('sha256').update(body).digest()
}
