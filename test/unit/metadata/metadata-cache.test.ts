// The metadata cache: a share of unchanged files is not hashed again; anything changed,
// corrupt or from elsewhere is ignored and the share hashed.

import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMetadata } from '../../../src/metadata/create.js'
import { decodeEntry, defaultCacheDir, MetadataCache } from '../../../src/metadata/metadata-cache.js'
import { tempDir, type TempDir } from '../../helpers/files.js'

const KiB = 1024

let dir: TempDir
beforeEach(async () => { dir = await tempDir('bitswarm-cache-') })
afterEach(async () => { await dir.remove() })

/** createMetadata with a count of the pieces it hashed. */
async function hashed (path: string, cache: MetadataCache, pieceSize?: number): Promise<{ infoHash: string, pieces: number }> {
  let pieces = 0
  const meta = await createMetadata(path, { cache, ...(pieceSize !== undefined ? { pieceSize } : {}), onProgress: () => { pieces++ } })
  return { infoHash: meta.infoHash.toString('hex'), pieces }
}

describe('metadata cache', () => {
  it('hashes a share once; the same files again are not read, and give the same metadata', async () => {
    const cache = new MetadataCache(join(dir.path, 'cache'))
    const root = join(dir.path, 'album')
    await mkdir(join(root, 'sub'), { recursive: true })
    await writeFile(join(root, 'a.bin'), randomBytes(100 * KiB))
    await writeFile(join(root, 'sub', 'b.bin'), randomBytes(30 * KiB))
    const first = await hashed(root, cache, 16 * KiB)
    expect(first.pieces).toBe(9)
    const second = await hashed(root, cache, 16 * KiB)
    expect(second).toEqual({ infoHash: first.infoHash, pieces: 0 })
    // Another piece size is another share: hashed, and kept beside the first.
    expect((await hashed(root, cache, 32 * KiB)).pieces).toBe(5)
    expect(await readdir(cache.dir)).toHaveLength(2)
  })

  it('hashes again when only the executable bit or an empty folder changed (neither touches a size or an mtime)', async () => {
    const cache = new MetadataCache(join(dir.path, 'cache'))
    const root = join(dir.path, 'tools')
    await mkdir(root)
    await writeFile(join(root, 'run'), randomBytes(20 * KiB))
    const plain = await hashed(root, cache, 16 * KiB)
    await chmod(join(root, 'run'), 0o755)
    const executable = await hashed(root, cache, 16 * KiB)
    expect(executable.pieces).toBe(2)
    expect(executable.infoHash).not.toBe(plain.infoHash)
    await mkdir(join(root, 'empty'))
    expect((await hashed(root, cache, 16 * KiB)).pieces).toBe(2)
    expect((await hashed(root, cache, 16 * KiB)).pieces).toBe(0)
  })

  it('hashes again when a file changed: its time, its size, or one more file', async () => {
    const cache = new MetadataCache(join(dir.path, 'cache'))
    const root = join(dir.path, 'share')
    await mkdir(root)
    const file = join(root, 'a.bin')
    await writeFile(file, randomBytes(40 * KiB))
    const original = await hashed(root, cache, 16 * KiB)

    await utimes(file, new Date(), new Date(Date.now() + 10_000)) // same bytes, touched
    expect((await hashed(root, cache, 16 * KiB)).pieces).toBe(3)
    await writeFile(file, randomBytes(41 * KiB))
    const resized = await hashed(root, cache, 16 * KiB)
    expect(resized.pieces).toBe(3)
    expect(resized.infoHash).not.toBe(original.infoHash)
    await writeFile(join(root, 'b.bin'), 'x')
    expect((await hashed(root, cache, 16 * KiB)).pieces).toBe(3)
    expect((await hashed(root, cache, 16 * KiB)).pieces).toBe(0)
  })

  it('ignores an entry that is corrupt, truncated or not an entry at all, and rewrites it', async () => {
    const cache = new MetadataCache(join(dir.path, 'cache'))
    const file = join(dir.path, 'f.bin')
    await writeFile(file, randomBytes(20 * KiB))
    const first = await hashed(file, cache)
    const [name] = await readdir(cache.dir)
    const entry = join(cache.dir, name!)
    const bytes = await readFile(entry)
    expect(decodeEntry(bytes)).not.toBeNull()
    for (const damaged of [bytes.subarray(0, bytes.byteLength - 1), Buffer.from('not an entry'), Buffer.alloc(0), flip(bytes, 40)]) {
      expect(decodeEntry(damaged)).toBeNull()
      await writeFile(entry, damaged)
      expect(await hashed(file, cache)).toEqual({ infoHash: first.infoHash, pieces: 2 })
    }
    expect(await hashed(file, cache)).toEqual({ infoHash: first.infoHash, pieces: 0 })
  })

  it('keeps at most its bound of entries, the least recently used removed first', async () => {
    const cache = new MetadataCache(join(dir.path, 'cache'), { maxEntries: 2 })
    const files = ['a', 'b', 'c'].map((n) => join(dir.path, n))
    for (const file of files) await writeFile(file, randomBytes(1000))
    await hashed(files[0]!, cache)
    await hashed(files[1]!, cache)
    // Used again just now: it outlives b when c comes in.
    const entries = await readdir(cache.dir)
    for (const e of entries) await utimes(join(cache.dir, e), new Date(0), new Date(0))
    expect((await hashed(files[0]!, cache)).pieces).toBe(0)
    await hashed(files[2]!, cache)
    expect(await readdir(cache.dir)).toHaveLength(2)
    expect((await hashed(files[0]!, cache)).pieces).toBe(0)
    expect((await hashed(files[2]!, cache)).pieces).toBe(0)
    expect((await hashed(files[1]!, cache)).pieces).toBe(1)
  })

  it('works without a writable cache folder: it hashes every time', async () => {
    const blocker = join(dir.path, 'file')
    await writeFile(blocker, 'x')
    const cache = new MetadataCache(join(blocker, 'cache'))
    const file = join(dir.path, 'f.bin')
    await writeFile(file, randomBytes(100))
    expect((await hashed(file, cache)).pieces).toBe(1)
    expect((await hashed(file, cache)).pieces).toBe(1)
  })

  it('lives in BITSWARM_CACHE_DIR, else the XDG cache folder, else ~/.cache', () => {
    expect(defaultCacheDir({ BITSWARM_CACHE_DIR: '/tmp/x', XDG_CACHE_HOME: '/c' })).toBe('/tmp/x')
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/bitswarm')
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/bitswarm$/)
  })
})

function flip (bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes)
  copy[at]! ^= 0x10
  return copy
}
