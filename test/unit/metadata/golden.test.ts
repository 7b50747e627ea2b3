// Guards the metadata encoding: fixtures/golden.json was produced by an independent Python
// implementation (fixtures/generate.py), and every value must be reproduced exactly.

import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createMetadata } from '../../../src/metadata/create.js'
import { formatLink, parseLink } from '../../../src/metadata/link.js'
import { Metadata } from '../../../src/metadata/metadata.js'
import type { FileEntry } from '../../../src/types.js'

interface Golden {
  name: string
  pieceSize: number
  totalBytes: number
  files: FileEntry[]
  pieceHashes: string[]
  metadata: string
  infoHash: string
  link: string
}

const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url))
const golden = JSON.parse(await readFile(`${fixtures}golden.json`, 'utf8')) as Record<string, Golden>

describe('golden fixtures', () => {
  it('covers the three fixture shares', () => {
    expect(Object.keys(golden)).toEqual(['hello.txt', 'pattern.bin', 'album'])
  })

  it.each(Object.entries(golden))('createMetadata reproduces %s exactly', async (share, expected) => {
    const meta = await createMetadata(fixtures + share)
    expect(meta.name).toBe(expected.name)
    expect(meta.pieceSize).toBe(expected.pieceSize)
    expect(meta.totalBytes).toBe(expected.totalBytes)
    expect(meta.info.files).toEqual(expected.files)
    const hashes = Array.from({ length: meta.pieceCount }, (_, i) => meta.pieceHash(i).toString('hex'))
    expect(hashes).toEqual(expected.pieceHashes)
    expect(meta.bytes.toString('hex')).toBe(expected.metadata)
    expect(meta.infoHash.toString('hex')).toBe(expected.infoHash)
    expect(formatLink(meta.infoHash, meta.name)).toBe(expected.link)
  })

  it.each(Object.entries(golden))('the golden metadata of %s decodes and links back', (_, expected) => {
    const meta = Metadata.fromBytes(Buffer.from(expected.metadata, 'hex'), Buffer.from(expected.infoHash, 'hex'))
    expect(meta.info.files).toEqual(expected.files)
    expect(parseLink(expected.link)).toEqual({ infoHash: meta.infoHash, name: expected.name })
  })

  it('pattern.bin is still the documented formula', async () => {
    // byte i = (i * i * 7 + floor(i / 251)) mod 256, as in fixtures/README.md
    const bytes = await readFile(`${fixtures}pattern.bin`)
    expect(bytes.length).toBe(300 * 1024)
    const mismatch = bytes.findIndex((byte, i) => byte !== (i * i * 7 + Math.floor(i / 251)) % 256)
    expect(mismatch).toBe(-1)
  })
})
