import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { HASH_BYTES, MAX_METADATA_BYTES } from '../../../src/constants.js'
import { encodeInfo } from '../../../src/metadata/info.js'
import { discoveryKeyOf } from '../../../src/metadata/info-hash.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import type { Info } from '../../../src/types.js'
import { codeOf } from './error-code.js'

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()
const PIECE = 16 * 1024

/** Three files over 2.5 pieces, with real piece hashes of the concatenated content. */
function sample (): { info: Info, content: Buffer } {
  const content = Buffer.alloc(PIECE * 2 + PIECE / 2)
  for (let i = 0; i < content.length; i++) content[i] = (i * 13 + Math.floor(i / 1000)) % 256 // no two pieces alike
  const pieces = [0, 1, 2].map(i => sha256(content.subarray(i * PIECE, (i + 1) * PIECE)))
  const info: Info = {
    name: 'sample',
    pieceSize: PIECE,
    files: [
      { path: ['a'], length: 10_000 },
      { path: ['b', 'c'], length: 20_000 },
      { path: ['d'], length: content.length - 30_000 }
    ],
    pieceHashes: Buffer.concat(pieces)
  }
  return { info, content }
}

describe('Metadata', () => {
  it('describes its info', () => {
    const { info, content } = sample()
    const meta = Metadata.fromInfo(info)
    expect(meta.bytes).toEqual(encodeInfo(info))
    expect(meta.infoHash).toEqual(sha256(meta.bytes))
    expect(meta.discoveryKey).toEqual(discoveryKeyOf(meta.infoHash))
    expect(meta.info).toEqual(info)
    expect(meta.name).toBe('sample')
    expect(meta.pieceSize).toBe(PIECE)
    expect(meta.totalBytes).toBe(content.length)
    expect(meta.pieceCount).toBe(3)
    expect([0, 1, 2].map(i => meta.pieceLength(i))).toEqual([PIECE, PIECE, PIECE / 2])
  })

  it('round-trips through bytes, checking the info hash', () => {
    const meta = Metadata.fromInfo(sample().info)
    const copy = Metadata.fromBytes(meta.bytes, meta.infoHash)
    expect(copy.infoHash).toEqual(meta.infoHash)
    expect(copy.info).toEqual(meta.info)
    expect(Metadata.fromBytes(meta.bytes).infoHash).toEqual(meta.infoHash)
  })

  it('refuses bytes that do not match the expected info hash', () => {
    const meta = Metadata.fromInfo(sample().info)
    const other = Buffer.from(meta.infoHash)
    other[0]! ^= 1
    expect(codeOf(() => Metadata.fromBytes(meta.bytes, other))).toBe('ERR_METADATA_MISMATCH')
    const tampered = Buffer.from(meta.bytes)
    tampered[tampered.length - 1]! ^= 1
    expect(codeOf(() => Metadata.fromBytes(tampered, meta.infoHash))).toBe('ERR_METADATA_MISMATCH')
  })

  it('refuses malformed or oversized bytes', () => {
    expect(codeOf(() => Metadata.fromBytes(Buffer.from('garbage')))).toBe('ERR_INVALID_METADATA')
    expect(codeOf(() => Metadata.fromBytes(Buffer.alloc(MAX_METADATA_BYTES + 1)))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses an invalid info', () => {
    expect(codeOf(() => Metadata.fromInfo({ ...sample().info, name: '..' }))).toBe('ERR_INVALID_METADATA')
  })

  it('is unaffected by later changes to its inputs', () => {
    const { info } = sample()
    const meta = Metadata.fromInfo(info)
    const hash = Buffer.from(meta.pieceHash(0))
    info.pieceHashes.fill(0)
    info.files[0]!.length = 1
    expect(meta.pieceHash(0)).toEqual(hash)
    expect(meta.info.files[0]!.length).toBe(10_000)

    const bytes = Buffer.from(meta.bytes)
    const fromBytes = Metadata.fromBytes(bytes)
    bytes.fill(0)
    expect(fromBytes.pieceHash(0)).toEqual(hash)
    expect(sha256(fromBytes.bytes)).toEqual(fromBytes.infoHash)
  })

  it('freezes its info', () => {
    const meta = Metadata.fromInfo(sample().info)
    expect(Object.isFrozen(meta.info)).toBe(true)
    expect(Object.isFrozen(meta.info.files)).toBe(true)
    expect(Object.isFrozen(meta.info.files[1]!.path)).toBe(true)
  })

  it('gives piece hashes as views, without copying', () => {
    const { info } = sample()
    const meta = Metadata.fromInfo(info)
    for (let i = 0; i < 3; i++) {
      const hash = meta.pieceHash(i)
      expect(hash).toEqual(info.pieceHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))
      expect(hash.buffer).toBe(meta.info.pieceHashes.buffer)
    }
    expect(() => meta.pieceHash(3)).toThrow(RangeError)
    expect(() => meta.pieceHash(-1)).toThrow(RangeError)
  })

  it('verifies pieces', () => {
    const { info, content } = sample()
    const meta = Metadata.fromInfo(info)
    const piece = (i: number): Buffer => Buffer.from(content.subarray(i * PIECE, Math.min((i + 1) * PIECE, content.length)))
    expect([0, 1, 2].map(i => meta.verifyPiece(i, piece(i)))).toEqual([true, true, true])

    const corrupt = piece(1)
    corrupt[100]! ^= 0xff
    expect(meta.verifyPiece(1, corrupt)).toBe(false)
    expect(meta.verifyPiece(0, piece(1))).toBe(false) // right data, wrong place
    expect(meta.verifyPiece(2, piece(2).subarray(1))).toBe(false) // wrong length
    expect(meta.verifyPiece(3, piece(2))).toBe(false) // no such piece
    expect(meta.verifyPiece(-1, piece(0))).toBe(false)
    expect(meta.verifyPiece(0.5, piece(0))).toBe(false)
  })

  it('describes an empty file', () => {
    const meta = Metadata.fromInfo({ name: 'empty', pieceSize: PIECE, files: [{ path: [], length: 0 }], pieceHashes: Buffer.alloc(0) })
    expect(meta.pieceCount).toBe(0)
    expect(meta.totalBytes).toBe(0)
    expect(meta.verifyPiece(0, Buffer.alloc(0))).toBe(false)
  })
})
