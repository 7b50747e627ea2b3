// A completed download goes in the metadata cache: sharing its folder later hashes nothing.

import { randomBytes } from 'node:crypto'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cacheDownload } from '../../../src/metadata/cache-download.js'
import { createMetadata, walkShare } from '../../../src/metadata/create.js'
import { MetadataCache } from '../../../src/metadata/metadata-cache.js'
import { choosePieceSize } from '../../../src/metadata/piece-size.js'
import { tempDir, type TempDir } from '../../helpers/files.js'

const KiB = 1024

let dir: TempDir
beforeEach(async () => { dir = await tempDir('bitswarm-cache-download-') })
afterEach(async () => { await dir.remove() })

/** createMetadata with a count of the pieces it hashed. */
async function hashed (path: string, cache: MetadataCache | null, pieceSize?: number): Promise<{ infoHash: string, pieces: number }> {
  let pieces = 0
  const meta = await createMetadata(path, { cache, ...(pieceSize !== undefined ? { pieceSize } : {}), onProgress: () => { pieces++ } })
  return { infoHash: meta.infoHash.toString('hex'), pieces }
}

async function album (): Promise<string> {
  const root = join(dir.path, 'album')
  await mkdir(root, { recursive: true })
  await writeFile(join(root, 'a.bin'), randomBytes(100 * KiB))
  await writeFile(join(root, 'b.bin'), randomBytes(30 * KiB))
  return root
}

describe('cacheDownload', () => {
  it('a download at the automatic piece size is found under the automatic key and its own', async () => {
    const root = await album()
    const meta = await createMetadata(root, { cache: null })
    const cache = new MetadataCache(join(dir.path, 'cache'))
    await cacheDownload(cache, root, meta)
    expect(await hashed(root, cache)).toEqual({ infoHash: meta.infoHash.toString('hex'), pieces: 0 })
    expect(await hashed(root, cache, meta.pieceSize)).toEqual({ infoHash: meta.infoHash.toString('hex'), pieces: 0 })
  })

  it('a download at another piece size is found only under that size (the automatic one hashes)', async () => {
    const root = await album()
    const meta = await createMetadata(root, { cache: null, pieceSize: 64 * KiB })
    expect(choosePieceSize(meta.totalBytes)).not.toBe(64 * KiB)
    const cache = new MetadataCache(join(dir.path, 'cache'))
    await cacheDownload(cache, root, meta)
    expect(await hashed(root, cache, 64 * KiB)).toEqual({ infoHash: meta.infoHash.toString('hex'), pieces: 0 })
    expect((await hashed(root, cache)).pieces).toBeGreaterThan(0)
  })

  it('caches nothing for a folder with entries sharing would skip, and never throws', async () => {
    const root = await album()
    const meta = await createMetadata(root, { cache: null })
    await symlink(join(root, 'a.bin'), join(root, 'link'))
    const cache = new MetadataCache(join(dir.path, 'cache'))
    await cacheDownload(cache, root, meta)
    await expect(cacheDownload(cache, join(dir.path, 'gone'), meta)).resolves.toBeUndefined()
    expect(await cache.load(await walkShare(root))).toBeNull()
  })
})
