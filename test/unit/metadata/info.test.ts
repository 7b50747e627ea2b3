import { createHash } from 'node:crypto'
import c from 'compact-encoding'
import { describe, expect, it } from 'vitest'
import { encode } from '../../../src/codec.js'
import {
  HASH_BYTES, MAX_FILES, MAX_METADATA_BYTES, MAX_NAME_BYTES, MAX_PATH_DEPTH, MAX_PIECES
} from '../../../src/constants.js'
import { decodeInfo, encodeInfo, infoCodec, totalLength, validateInfo } from '../../../src/metadata/info.js'
import type { FileEntry, Info } from '../../../src/types.js'
import { codeOf } from './error-code.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

/** Distinct, recognisable hashes: piece i is SHA-256 of its index. */
function hashes (pieces: number): Buffer {
  const out = Buffer.alloc(pieces * HASH_BYTES)
  for (let i = 0; i < pieces; i++) createHash('sha256').update(String(i)).digest().copy(out, i * HASH_BYTES)
  return out
}

function folderInfo (files: FileEntry[], pieceSize = 16 * KiB): Info {
  const total = files.reduce((sum, file) => sum + file.length, 0)
  return { name: 'share', pieceSize, files, pieceHashes: hashes(Math.ceil(total / pieceSize)) }
}

const valid = (): Info => folderInfo([
  { path: ['a.txt'], length: 10 },
  { path: ['docs', 'b.txt'], length: 20_000 },
  { path: ['docs', 'sub', 'c.bin'], length: 0 },
  { path: ['z'], length: 5 }
])

const uint = (n: number): Buffer => encode(c.uint, n)
const str = (s: string): Buffer => encode(c.string, s)

describe('info encoding', () => {
  it('lays out the bytes as specified', () => {
    const info: Info = { name: 'a', pieceSize: 16 * KiB, files: [{ path: [], length: 3 }], pieceHashes: Buffer.alloc(32, 0xab) }
    expect(encodeInfo(info).toString('hex')).toBe(
      '01' + // version
      '0161' + // name "a"
      'fd0040' + // piece size 16384
      '01' + // one file
      '00' + '03' + // empty path, length 3
      'ab'.repeat(32) // the one piece hash
    )
  })

  it('lays out a multi-file info as specified', () => {
    const info = folderInfo([{ path: ['d', 'x'], length: 1 }, { path: ['é'], length: 300 }])
    const expected = Buffer.concat([
      uint(1), str('share'), uint(16384), uint(2),
      uint(2), str('d'), str('x'), uint(1),
      uint(1), str('é'), uint(300),
      info.pieceHashes
    ])
    expect(encodeInfo(info)).toEqual(expected)
  })

  it('round-trips', () => {
    const info = valid()
    const bytes = encodeInfo(info)
    expect(decodeInfo(bytes)).toEqual(info)
    expect(encodeInfo(decodeInfo(bytes))).toEqual(bytes)
  })

  it('is deterministic: equal content gives identical bytes', () => {
    const first = encodeInfo(valid())
    const second = encodeInfo(valid())
    expect(second).toEqual(first)
    expect(createHash('sha256').update(second).digest()).toEqual(createHash('sha256').update(first).digest())
  })

  it('decodes into its own memory, not a view of the input', () => {
    const bytes = encodeInfo(valid())
    const info = decodeInfo(bytes)
    const before = Buffer.from(info.pieceHashes)
    bytes.fill(0)
    expect(info.pieceHashes).toEqual(before)
  })

  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF5E is EF BD 9E in UTF-8, U+1F600 is F0 9F 98 80; in UTF-16 the emoji sorts first.
    const ordered = [{ path: ['\uff5e'], length: 1 }, { path: ['\u{1F600}'], length: 1 }]
    expect(() => encodeInfo(folderInfo(ordered))).not.toThrow()
    expect(codeOf(() => encodeInfo(folderInfo([...ordered].reverse())))).toBe('ERR_INVALID_METADATA')
  })

  it('encodes a 10 GiB share (2560 pieces of 4 MiB) in about 80 KiB', () => {
    const info: Info = {
      name: 'big.iso',
      pieceSize: 4 * MiB,
      files: [{ path: [], length: 10 * GiB }],
      pieceHashes: hashes(2560)
    }
    const bytes = encodeInfo(info)
    expect(bytes.byteLength).toBe(2560 * HASH_BYTES + 25) // the 10 GiB length is a 9-byte uint
    expect(bytes.byteLength).toBeLessThan(81 * KiB)
    const decoded = decodeInfo(bytes)
    expect({ ...decoded, pieceHashes: null }).toEqual({ ...info, pieceHashes: null })
    expect(decoded.pieceHashes.equals(info.pieceHashes)).toBe(true) // toEqual walks 80 KiB slowly
    expect(totalLength(decoded)).toBe(10 * GiB)
  })

  it('accepts an empty single file (no pieces)', () => {
    const info: Info = { name: 'empty', pieceSize: 16 * KiB, files: [{ path: [], length: 0 }], pieceHashes: Buffer.alloc(0) }
    expect(decodeInfo(encodeInfo(info))).toEqual(info)
  })

  it('accepts a folder holding a single file', () => {
    const info = folderInfo([{ path: ['only'], length: 1 }])
    expect(decodeInfo(encodeInfo(info))).toEqual(info)
  })

  it('accepts the limits themselves', () => {
    const deep = Array.from({ length: MAX_PATH_DEPTH }, (_, i) => `d${i}`)
    const longName = 'n'.repeat(MAX_NAME_BYTES)
    const info = folderInfo([{ path: deep, length: 1 }, { path: [longName], length: 1 }])
    expect(decodeInfo(encodeInfo(info))).toEqual(info)
  })
})

describe('validation', () => {
  const files = (...entries: FileEntry[]): (info: Info) => Info => (info) => folderInfo(entries, info.pieceSize)
  const at = (...path: string[]): FileEntry => ({ path, length: 1 })

  // Each case breaks exactly one rule of a valid info.
  const cases: Array<[string, (info: Info) => Info, RegExp]> = [
    ['empty name', (info) => ({ ...info, name: '' }), /name is empty/],
    ['name "."', (info) => ({ ...info, name: '.' }), /name is "\."/],
    ['name ".."', (info) => ({ ...info, name: '..' }), /name is "\.\."/],
    ['name with /', (info) => ({ ...info, name: 'a/b' }), /name contains "\/"/],
    ['name with \\', (info) => ({ ...info, name: 'a\\b' }), /name contains "\\"/],
    ['name with NUL', (info) => ({ ...info, name: 'a\0b' }), /NUL/],
    ['name too long', (info) => ({ ...info, name: 'n'.repeat(MAX_NAME_BYTES + 1) }), /name is 256 bytes|name length 256/],
    ['name too long in UTF-8 bytes', (info) => ({ ...info, name: 'é'.repeat(128) }), /name is 256 bytes|name length 256/],
    ['piece size 0', (info) => ({ ...info, pieceSize: 0 }), /piece size 0 /],
    ['piece size not a power of two', (info) => ({ ...info, pieceSize: 3 * 16 * KiB }), /piece size 49152/],
    ['piece size below the minimum', (info) => ({ ...info, pieceSize: 8 * KiB }), /piece size 8192/],
    ['piece size above the maximum', (info) => ({ ...info, pieceSize: 8 * MiB }), /piece size 8388608/],
    ['no files', files(), /no files/],
    ['empty path component', files(at('a', '')), /is empty/],
    ['path component "."', files(at('.', 'a')), /is "\."/],
    ['path component ".."', files(at('..', 'a')), /is "\.\."/],
    ['path component with /', files(at('a/b')), /contains "\/"/],
    ['path component with \\', files(at('a\\b')), /contains "\\"/],
    ['path component with NUL', files(at('a\0')), /NUL/],
    ['path component too long', files(at('c'.repeat(MAX_NAME_BYTES + 1))), /256 bytes|length 256/],
    ['path too deep', files(at(...Array.from({ length: MAX_PATH_DEPTH + 1 }, () => 'd'))), /101 levels deep|depth 101/],
    ['joined path too long', files(at(...Array.from({ length: 20 }, () => 'p'.repeat(250)))), /5019 bytes/],
    ['duplicate path', files(at('a'), at('a')), /listed twice/],
    ['files out of order', files(at('b'), at('a')), /out of canonical order/],
    ['nested files out of order', files(at('a', 'z'), at('a', 'b')), /out of canonical order/],
    ['file that is also a folder', files(at('a'), at('a', 'b')), /both a file and a folder/],
    ['empty path beside other files', files({ path: [], length: 1 }, at('a')), /empty path/],
    ['two empty paths', files({ path: [], length: 1 }, { path: [], length: 1 }), /empty path/],
    ['total length not safe', (info) => ({ ...info, files: [{ path: ['a'], length: 2 ** 52 }, { path: ['b'], length: 2 ** 52 }] }), /total length/],
    ['one piece hash missing', (info) => ({ ...info, pieceHashes: info.pieceHashes.subarray(HASH_BYTES) }), /found 32/],
    ['one piece hash too many', (info) => ({ ...info, pieceHashes: Buffer.concat([info.pieceHashes, Buffer.alloc(HASH_BYTES)]) }), /found 96/],
    ['piece hashes not whole', (info) => ({ ...info, pieceHashes: info.pieceHashes.subarray(1) }), /found 63/]
  ]

  it.each(cases)('encodeInfo refuses: %s', (_, breakIt, reason) => {
    const info = breakIt(valid())
    expect(codeOf(() => encodeInfo(info))).toBe('ERR_INVALID_METADATA')
    expect(() => validateInfo(info)).toThrow(reason)
  })

  // Decoding meets some limits before the Info exists, so its wording may differ.
  it.each(cases)('decodeInfo refuses: %s', (_, breakIt, reason) => {
    const bytes = encode(infoCodec, breakIt(valid())) // the raw codec does not validate
    expect(codeOf(() => decodeInfo(bytes))).toBe('ERR_INVALID_METADATA')
    expect(() => decodeInfo(bytes)).toThrow(reason)
  })

  // Lengths the encoding cannot even carry: only encodeInfo can be handed them.
  it.each([-1, 1.5, 2 ** 53, Number.NaN])('encodeInfo refuses length %s', (length) => {
    const info = { ...valid(), files: [{ path: ['a'], length }] }
    expect(codeOf(() => encodeInfo(info))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses a name that is not well-formed Unicode (a lone surrogate)', () => {
    expect(codeOf(() => encodeInfo({ ...valid(), name: 'a\ud800' }))).toBe('ERR_INVALID_METADATA')
    expect(codeOf(() => encodeInfo(files(at('\udc00'))(valid())))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses more than MAX_FILES files', () => {
    const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => at(String(i).padStart(6, '0')))
    expect(codeOf(() => validateInfo(folderInfo(many)))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses more than MAX_PIECES pieces, encoding and decoding', () => {
    const info: Info = { name: 'huge', pieceSize: 16 * KiB, files: [{ path: [], length: (MAX_PIECES + 1) * 16 * KiB }], pieceHashes: Buffer.alloc(0) }
    expect(codeOf(() => encodeInfo(info))).toBe('ERR_TOO_MANY_PIECES')
    expect(codeOf(() => decodeInfo(encode(infoCodec, info)))).toBe('ERR_TOO_MANY_PIECES')
  })
})

describe('hostile bytes', () => {
  const good = (): Buffer => encodeInfo(valid())
  const header = (fileCount: number): Buffer => Buffer.concat([uint(1), str('share'), uint(16384), uint(fileCount)])

  const cases: Array<[string, () => Uint8Array, RegExp]> = [
    ['nothing', () => Buffer.alloc(0), /Out of bounds/],
    ['only a version', () => uint(1), /Out of bounds/],
    ['an unknown version', () => Buffer.concat([uint(3), good().subarray(1)]), /version 3/],
    ['version 0', () => Buffer.concat([uint(0), good().subarray(1)]), /version 0/],
    ['a non-minimal integer', () => Buffer.concat([Buffer.from([0xfd, 0x01, 0x00]), good().subarray(1)]), /not minimally encoded/],
    ['a non-minimal 64-bit integer', () => Buffer.concat([Buffer.from([0xff, 1, 0, 0, 0, 0, 0, 0, 0]), good().subarray(1)]), /not minimally encoded/],
    ['a name that is not UTF-8', () => Buffer.concat([uint(1), Buffer.from([2, 0xc3, 0x28]), good().subarray(7)]), /name is not valid UTF-8/],
    ['a name length beyond MAX_NAME_BYTES', () => Buffer.concat([uint(1), uint(MAX_NAME_BYTES + 1), Buffer.alloc(MAX_NAME_BYTES + 1, 0x61)]), /name length 256/],
    ['a name longer than the input', () => Buffer.concat([uint(1), uint(200), Buffer.from('abc')]), /name is truncated/],
    ['a file count beyond MAX_FILES', () => header(MAX_FILES + 1), /file count 100001/],
    ['a huge file count', () => Buffer.concat([uint(1), str('share'), uint(16384), Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff])]), /file count 4294967295/],
    ['more files declared than present', () => Buffer.concat([header(3), uint(1), str('a'), uint(1)]), /Out of bounds/],
    ['a path depth beyond MAX_PATH_DEPTH', () => Buffer.concat([header(1), uint(MAX_PATH_DEPTH + 1)]), /path depth 101/],
    ['a length beyond 2^53', () => Buffer.concat([header(1), uint(1), str('a'), Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0x20, 0])]), /9007199254740991/],
    ['a piece size beyond the maximum', () => Buffer.concat([uint(1), str('share'), uint(2 ** 30), uint(0)]), /piece size 1073741824/],
    ['a truncated piece hash', () => good().subarray(0, -1), /found 63/],
    ['a trailing byte', () => Buffer.concat([good(), Buffer.from([0])]), /found 65/],
    ['a component that is not UTF-8', () => Buffer.concat([header(1), uint(1), Buffer.from([1, 0xff]), uint(0)]), /path component is not valid UTF-8/],
    ['more than MAX_METADATA_BYTES', () => Buffer.concat([good(), Buffer.alloc(MAX_METADATA_BYTES)]), /more than 16777216/]
  ]

  it.each(cases)('refuses %s', (_, bytes, reason) => {
    expect(codeOf(() => decodeInfo(bytes()))).toBe('ERR_INVALID_METADATA')
    expect(() => decodeInfo(bytes())).toThrow(reason)
  })

  it('refuses oversized input before reading it', () => {
    // A valid version byte followed by garbage: only the size check can catch it this early.
    const oversized = Buffer.alloc(MAX_METADATA_BYTES + 1, 0xff)
    oversized[0] = 1
    expect(() => decodeInfo(oversized)).toThrow(/more than/)
  })

  it('decodes from a subarray with an offset', () => {
    const bytes = good()
    const padded = Buffer.concat([Buffer.alloc(7, 0xee), bytes]).subarray(7)
    expect(decodeInfo(padded)).toEqual(valid())
  })
})

describe('version 2: file attributes and empty folders', () => {
  const withAttributes = (): Info => ({
    ...folderInfo([{ path: ['bin', 'run'], length: 10, executable: true }, { path: ['readme'], length: 5 }]),
    folders: [['empty'], ['z', 'deep']]
  })

  it('round-trips the executable bit and the empty folders, as version 2', () => {
    const bytes = encodeInfo(withAttributes())
    expect(bytes[0]).toBe(2)
    const back = decodeInfo(bytes)
    expect(back.files).toEqual(withAttributes().files)
    expect(back.folders).toEqual([['empty'], ['z', 'deep']])
    expect(encodeInfo(back).equals(bytes)).toBe(true)
  })

  it('keeps version 1 for content without either, so such shares keep their info hash', () => {
    const bytes = encodeInfo(valid())
    expect(bytes[0]).toBe(1)
    expect(decodeInfo(bytes).folders).toBeUndefined()
  })

  it('refuses a second encoding of the same content: version 2 where version 1 says it all', () => {
    // Version 2 layout for valid()'s files (attribute 0 each) and no folders.
    const info = valid()
    const parts = [uint(2), str(info.name), uint(info.pieceSize), uint(info.files.length)]
    for (const f of info.files) parts.push(uint(f.path.length), ...f.path.map(str), uint(f.length), uint(0))
    parts.push(uint(0), info.pieceHashes)
    expect(() => decodeInfo(Buffer.concat(parts))).toThrow(/version 2 for content that version 1 describes/)
  })

  it('refuses unknown attribute bits, and folders that are not empty, are files, or repeat', () => {
    const bytes = encodeInfo(withAttributes())
    // The first file's attributes byte follows its length (10): flip in an unknown bit.
    const at = bytes.indexOf(Buffer.from([10, 1]), 1) + 1
    const unknownBit = Buffer.from(bytes)
    unknownBit[at] = 3
    expect(() => decodeInfo(unknownBit)).toThrow(/file attributes/)
    const bad = (folders: string[][]): Info => ({ ...withAttributes(), folders })
    expect(() => encodeInfo(bad([['bin']]))).toThrow(/listed as empty but holds files/)
    expect(() => encodeInfo(bad([['readme']]))).toThrow(/both a file and a folder/)
    expect(() => encodeInfo(bad([['readme', 'x']]))).toThrow(/both a file and a folder/)
    expect(() => encodeInfo(bad([['e'], ['e']]))).toThrow(/listed twice or out of canonical order/)
    expect(() => encodeInfo(bad([['e'], ['e', 'f']]))).toThrow(/listed as empty but holds/)
    expect(() => encodeInfo({ name: 'f', pieceSize: 16 * KiB, files: [{ path: [], length: 1 }], pieceHashes: hashes(1), folders: [['x']] })).toThrow(/single-file share has folders/)
  })
})
