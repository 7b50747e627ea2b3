import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Metadata } from '../../../src/metadata/metadata.js'
import { namingRulesFor, onDiskMetadata } from '../../../src/storage/on-disk-names.js'

const meta = (name: string, paths: string[][]): Metadata => Metadata.fromInfo({
  name,
  pieceSize: 16384,
  files: paths.map((path) => ({ path, length: 10 })),
  pieceHashes: Buffer.alloc(32)
})

describe('on-disk names', () => {
  it('asks the file system whether names differ by case, and leaves no probe behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bitswarm-case-'))
    try {
      // The test machines' temporary folders are on case-sensitive Linux file systems.
      expect(await namingRulesFor(dir)).toEqual({ windows: process.platform === 'win32', caseInsensitive: false })
      expect(await namingRulesFor(dir, { caseInsensitive: true, windows: true })).toEqual({ windows: true, caseInsensitive: true })
      expect(await readdir(dir)).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('renames only what the rules refuse; the info hash and hashes are the share\'s', () => {
    const original = meta('AUX', [['A', 'y.txt'], ['a', 'x.txt'], ['nul.log']])
    expect(onDiskMetadata(original, { windows: false, caseInsensitive: false }).meta).toBe(original)
    const { meta: disk, renamed } = onDiskMetadata(original, { windows: true, caseInsensitive: true })
    expect(disk.name).toBe('AUX_')
    expect(disk.info.files.map((f) => f.path.join('/'))).toEqual(['A/y.txt', 'a (2)/x.txt', 'nul_.log'])
    expect(renamed.map((r) => r.to.join('/'))).toContain('AUX_')
    expect(disk.infoHash.equals(original.infoHash)).toBe(true)
    expect(disk.pieceLength(0)).toBe(original.pieceLength(0))
    expect(original.name).toBe('AUX')
  })
})
