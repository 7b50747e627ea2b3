import { describe, expect, it } from 'vitest'
import { BLOCK_BYTES, MAX_PIECE_BYTES, MIN_PIECE_BYTES } from '../../../src/constants.js'
import {
  choosePieceSize, parseByteSize, pieceCount, pieceLength, validatePieceSize
} from '../../../src/metadata/piece-size.js'
import { codeOf } from './error-code.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

describe('piece boundaries', () => {
  const size = 16 * KiB
  const cases: Array<{ total: number, lengths: number[] }> = [
    { total: 0, lengths: [] },
    { total: 1, lengths: [1] },
    { total: size - 1, lengths: [size - 1] },
    { total: size, lengths: [size] },
    { total: size + 1, lengths: [size, 1] },
    { total: 3 * size, lengths: [size, size, size] },
    { total: 3 * size + 7, lengths: [size, size, size, 7] }
  ]

  it.each(cases)('total $total bytes → pieces $lengths', ({ total, lengths }) => {
    expect(pieceCount(total, size)).toBe(lengths.length)
    const actual = lengths.map((_, index) => pieceLength(index, total, size))
    expect(actual).toEqual(lengths)
    expect(actual.reduce((sum, n) => sum + n, 0)).toBe(total)
  })

  it('handles totals beyond 32 bits', () => {
    const total = 10 * GiB + 5
    expect(pieceCount(total, 4 * MiB)).toBe(2561)
    expect(pieceLength(2559, total, 4 * MiB)).toBe(4 * MiB)
    expect(pieceLength(2560, total, 4 * MiB)).toBe(5)
  })

  it.each([-1, 2, 0.5, Number.NaN])('refuses piece index %s out of range', (index) => {
    expect(() => pieceLength(index, 2 * size, size)).toThrow(RangeError)
  })
})

describe('choosePieceSize', () => {
  it.each([
    [0, MIN_PIECE_BYTES],
    [1, MIN_PIECE_BYTES],
    [2 * MiB, 16 * KiB], // 128 pieces: small shares stay fine-grained
    [4 * MiB, 16 * KiB], // 256 pieces of the minimum
    [8 * MiB, 32 * KiB], // grown while 256 pieces remain
    [16 * MiB, 64 * KiB], // 256 pieces of the preferred minimum
    [32 * MiB, 64 * KiB],
    [64 * MiB, 64 * KiB], // 1024 pieces: the target and the preferred minimum agree
    [64 * MiB + 1, 128 * KiB],
    [100 * MiB, 128 * KiB],
    [256 * MiB - 1, 256 * KiB], // one byte short of 256 whole blocks: the target decides
    [256 * MiB, BLOCK_BYTES], // 256 pieces of a whole block: no piece smaller than a block
    [512 * MiB, BLOCK_BYTES],
    [1 * GiB, 1 * MiB],
    [4 * GiB, 4 * MiB],
    [10 * GiB, 4 * MiB],
    [1024 * GiB, MAX_PIECE_BYTES]
  ])('%i bytes → %i', (total, expected) => {
    expect(choosePieceSize(total)).toBe(expected)
  })

  it('cuts a 10 GiB share into 2560 pieces', () => {
    expect(pieceCount(10 * GiB, choosePieceSize(10 * GiB))).toBe(2560)
  })
})

describe('validatePieceSize', () => {
  it.each([16 * KiB, 32 * KiB, 1 * MiB, 4 * MiB])('accepts %i', (size) => {
    expect(() => validatePieceSize(size)).not.toThrow()
  })

  it.each([0, -16384, 8 * KiB, 8 * MiB, 3 * 16 * KiB, 16 * KiB + 1, 16384.5, Number.NaN, Infinity])('refuses %s', (size) => {
    expect(codeOf(() => validatePieceSize(size))).toBe('ERR_INVALID_PIECE_SIZE')
  })
})

describe('parseByteSize', () => {
  it.each([
    ['16384', 16384],
    ['0', 0],
    ['256K', 256 * KiB],
    ['256k', 256 * KiB],
    ['256KB', 256 * KiB],
    ['1M', MiB],
    ['4MiB', 4 * MiB],
    ['4mib', 4 * MiB],
    ['1G', GiB],
    ['2GiB', 2 * GiB],
    ['512B', 512],
    [' 1M ', MiB]
  ])('%j → %i', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes)
  })

  it.each(['', 'M', 'abc', '1.5M', '-1M', '1T', '1 M', '1MM', '1iB', '0x100', '1e6', '4 MiB', '99999999999999999999'])('refuses %j', (text) => {
    expect(codeOf(() => parseByteSize(text))).toBe('ERR_INVALID_OPTION')
  })
})
