// Whether to trust a resume record, and which pieces must be read and hashed again (pure).
//
// A piece the record lists is trusted without reading it when its files still look the way
// the record saw them: same size, same modification time. A file whose time moved is still
// fine if the journal explains it (pieces of ours were written to it after the record);
// those journaled pieces are re-hashed, never trusted. Any other change (a file missing,
// resized, touched by something else) sends every piece of that file to be checked. With no
// usable record, every piece is checked, as before resume records existed.

import { Bitfield } from '../bitfield.js'
import type { FileState } from './storage.js'
import type { Layout } from './layout.js'
import { decodeJournal, type ResumeRecord } from './resume-record.js'

export interface ResumeInput {
  layout: Layout
  infoHash: Buffer
  /** The decoded record, or null when there is none or it did not decode. */
  record: ResumeRecord | null
  /** The journal's bytes (null when there is none). */
  journal: Uint8Array | null
  /** Every file of the partial as it is now, before anything is written. */
  files: readonly FileState[]
}

export interface ResumePlan {
  /** Pieces held on the record's word alone. */
  trusted: Bitfield
  /** Pieces to read and hash (ascending): what the journal names, and every piece of a
   *  file that changed. */
  check: number[]
  /** Why anything is checked. */
  reason: 'trusted' | 'journal' | 'files-changed' | 'no-record'
}

export function planResume (input: ResumeInput): ResumePlan {
  const { layout, record } = input
  const trusted = new Bitfield(layout.pieceCount)
  if (record === null || !usable(record, input)) {
    return { trusted, check: Array.from({ length: layout.pieceCount }, (_, piece) => piece), reason: 'no-record' }
  }
  const journaled = input.journal === null ? [] : decodeJournal(input.journal, record.journalFrom, layout.pieceCount)
  const check = new Set(journaled)
  const touched = new Set<number>() // files written to after the record
  for (const piece of journaled) for (const span of layout.pieceSpans(piece)) touched.add(span.file)
  let changed = false
  for (let file = 0; file < layout.fileCount; file++) {
    const { start, end } = layout.fileRange(file)
    if (start === end) continue // holds no piece bytes
    const now = input.files[file] ?? null
    const then = record.files[file]!
    const same = now !== null && now.size === end - start && then.size === now.size &&
      (now.mtimeNs === then.mtimeNs || touched.has(file))
    if (same) continue
    changed = true
    for (let piece = Math.floor(start / layout.pieceSize); piece * layout.pieceSize < end; piece++) check.add(piece)
  }
  const recorded = Bitfield.fromBytes(layout.pieceCount, record.have)
  for (const piece of recorded.indices()) if (!check.has(piece)) trusted.set(piece)
  const reason = changed ? 'files-changed' : check.size > 0 ? 'journal' : 'trusted'
  return { trusted, check: [...check].sort((a, b) => a - b), reason }
}

/** A record of this content, with an entry for each of its files. */
function usable (record: ResumeRecord, input: ResumeInput): boolean {
  return record.infoHash.equals(input.infoHash) && record.pieceCount === input.layout.pieceCount &&
    record.files.length === input.layout.fileCount && input.files.length === input.layout.fileCount
}
