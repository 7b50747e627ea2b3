import { describe, expect, it } from 'vitest'
import { Bitfield } from '../../../src/bitfield.js'
import { decodeJournal, decodeRecord, encodeJournalSlot, encodeRecord, type ResumeRecord } from '../../../src/storage/resume-record.js'

function record (overrides: Partial<ResumeRecord> = {}): ResumeRecord {
  const have = new Bitfield(13)
  for (const piece of [0, 5, 12]) have.set(piece)
  return {
    infoHash: Buffer.alloc(32, 0xab),
    pieceCount: 13,
    have: have.toBytes(),
    files: [{ size: 1000, mtimeNs: 1_700_000_000_123_456_789n }, { size: 0, mtimeNs: 5n }, { size: 2 ** 40 + 3, mtimeNs: 2n ** 63n }],
    journalFrom: 7,
    ...overrides
  }
}

describe('resume record codec', () => {
  it('round-trips every field, nanosecond times and 64-bit sizes included', () => {
    const original = record()
    expect(decodeRecord(encodeRecord(original))).toEqual(original)
    const empty = record({ pieceCount: 0, have: Buffer.alloc(0), files: [], journalFrom: 0 })
    expect(decodeRecord(encodeRecord(empty))).toEqual(empty)
  })

  it('refuses to encode a bitfield of the wrong size or a short info hash', () => {
    expect(() => encodeRecord(record({ have: Buffer.alloc(1) }))).toThrow(RangeError)
    expect(() => encodeRecord(record({ infoHash: Buffer.alloc(31) }))).toThrow(RangeError)
  })

  it('reads a torn, truncated, extended or bit-flipped record as no record at all', () => {
    const bytes = encodeRecord(record())
    expect(decodeRecord(bytes.subarray(0, bytes.byteLength - 1))).toBeNull()
    expect(decodeRecord(bytes.subarray(0, 20))).toBeNull()
    expect(decodeRecord(Buffer.alloc(0))).toBeNull()
    expect(decodeRecord(Buffer.concat([bytes, Buffer.from([0])]))).toBeNull()
    for (const at of [0, 8, 9, 45, 60, bytes.byteLength - 33, bytes.byteLength - 1]) {
      const flipped = Buffer.from(bytes)
      flipped[at]! ^= 0x01
      expect(decodeRecord(flipped), `byte ${at}`).toBeNull()
    }
  })

  it('reads another version, or bits set past the last piece, as no record', async () => {
    const { createHash } = await import('node:crypto')
    const reseal = (body: Buffer): Buffer => Buffer.concat([body, createHash('sha256').update(body).digest()])
    const bytes = encodeRecord(record())
    const body = Buffer.from(bytes.subarray(0, bytes.byteLength - 32))
    expect(decodeRecord(reseal(body))).not.toBeNull() // resealing alone changes nothing
    const otherVersion = Buffer.from(body)
    otherVersion[8] = 2
    expect(decodeRecord(reseal(otherVersion))).toBeNull()
    const padding = Buffer.from(body)
    padding[padding.byteLength - 1]! |= 0x01 // 13 pieces: the last 3 bits of the 2nd byte are padding
    expect(decodeRecord(reseal(padding))).toBeNull()
  })
})

describe('journal codec', () => {
  const journal = (...pieces: Array<number | null>): Buffer =>
    Buffer.concat(pieces.map((p) => p === null ? Buffer.alloc(4) : encodeJournalSlot(p)))

  it('names the pieces of the filled slots from `from` on, ascending and once each', () => {
    const bytes = journal(4, 9, 0, null, 9, 2)
    expect(decodeJournal(bytes, 0, 10)).toEqual([0, 2, 4, 9])
    expect(decodeJournal(bytes, 2, 10)).toEqual([0, 2, 9])
    expect(decodeJournal(bytes, 6, 10)).toEqual([])
    expect(decodeJournal(bytes, 100, 10)).toEqual([])
  })

  it('ignores what a crash can leave: empty slots, a torn last slot, values past the last piece', () => {
    const bytes = Buffer.concat([journal(3, null, 7), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from([5, 0])])
    expect(decodeJournal(bytes, 0, 8)).toEqual([3, 7])
    expect(decodeJournal(Buffer.alloc(0), 0, 8)).toEqual([])
  })
})
