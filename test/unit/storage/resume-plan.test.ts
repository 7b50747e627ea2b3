// When a resume record is trusted, and what is re-hashed when it is not (pure).

import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { Layout } from '../../../src/storage/layout.js'
import { planResume, type ResumeInput } from '../../../src/storage/resume-plan.js'
import { encodeJournalSlot, type ResumeRecord } from '../../../src/storage/resume-record.js'
import type { FileState } from '../../../src/storage/storage.js'

// Pieces of 100 bytes over three files: a.bin holds pieces 0–2 (0–250), empty nothing,
// c.bin pieces 2–3 (250–400). Piece 2 straddles both.
const layout = new Layout({
  name: 'tree',
  pieceSize: 100,
  files: [{ path: ['a.bin'], length: 250 }, { path: ['empty'], length: 0 }, { path: ['c.bin'], length: 150 }],
  pieceHashes: Buffer.alloc(4 * 32)
})
const infoHash = Buffer.alloc(32, 7)
const T = 1_700_000_000_000_000_000n
const recorded = [{ size: 250, mtimeNs: T }, { size: 0, mtimeNs: T }, { size: 150, mtimeNs: T + 1n }]

function bits (...pieces: number[]): Buffer {
  const field = new Bitfield(4)
  for (const p of pieces) field.set(p)
  return field.toBytes()
}

function input (opts: { have?: number[], journal?: number[], journalFrom?: number, files?: FileState[], record?: Partial<ResumeRecord> | null }): ResumeInput {
  const record: ResumeRecord | null = opts.record === null
    ? null
    : { infoHash, pieceCount: 4, have: bits(...(opts.have ?? [0, 1, 2, 3])), files: recorded, journalFrom: opts.journalFrom ?? 0, ...opts.record }
  return {
    layout,
    infoHash,
    record,
    journal: opts.journal === undefined ? null : Buffer.concat(opts.journal.map(encodeJournalSlot)),
    files: opts.files ?? recorded
  }
}

const plan = (opts: Parameters<typeof input>[0]): { trusted: number[], check: number[], reason: string } => {
  const result = planResume(input(opts))
  return { trusted: [...result.trusted.indices()], check: result.check, reason: result.reason }
}

describe('planResume', () => {
  it.each([
    ['files as recorded, nothing journaled: every recorded piece trusted, nothing read', {}, [0, 1, 2, 3], [], 'trusted'],
    ['a partial record: only its pieces', { have: [1, 3] }, [1, 3], [], 'trusted'],
    ['pieces journaled after the record: re-hashed, the rest trusted', { have: [0], journal: [3, 1] }, [0], [1, 3], 'journal'],
    ['journal slots before journalFrom are covered by the record', { have: [0, 1], journal: [1, 3], journalFrom: 1 }, [0, 1], [3], 'journal']
  ])('%s', (_what, opts, trusted, check, reason) => {
    expect(plan(opts)).toEqual({ trusted, check, reason })
  })

  it('a file whose time moved because of a journaled write stays trusted for its other pieces', () => {
    const files: FileState[] = [{ size: 250, mtimeNs: T + 99n }, recorded[1]!, recorded[2]!]
    expect(plan({ have: [0, 1], journal: [2], files })).toEqual({ trusted: [0, 1], check: [2], reason: 'journal' })
  })

  it.each([
    ['touched by something else', [{ size: 250, mtimeNs: T + 5n }, recorded[1], recorded[2]], [3], [0, 1, 2]],
    ['resized', [recorded[0], recorded[1], { size: 149, mtimeNs: T + 1n }], [0, 1], [2, 3]],
    ['missing', [recorded[0], recorded[1], null], [0, 1], [2, 3]]
  ])('a file %s: every piece of it is checked, the others trusted', (_what, files, trusted, check) => {
    expect(plan({ files: files as FileState[] })).toEqual({ trusted, check, reason: 'files-changed' })
  })

  it('ignores changes to a zero-length file: it holds no piece', () => {
    expect(plan({ files: [recorded[0]!, { size: 0, mtimeNs: 1n }, recorded[2]!] })).toEqual({ trusted: [0, 1, 2, 3], check: [], reason: 'trusted' })
  })

  it.each([
    ['no record', null],
    ['a record of other content', { infoHash: Buffer.alloc(32, 8) }],
    ['a record with another piece count', { pieceCount: 5, have: Buffer.alloc(1) }],
    ['a record with another file count', { files: recorded.slice(0, 2) }]
  ])('%s: every piece is checked, none trusted', (_what, record) => {
    expect(plan({ record })).toEqual({ trusted: [], check: [0, 1, 2, 3], reason: 'no-record' })
  })
})
