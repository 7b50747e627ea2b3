import { createHash, randomBytes } from 'node:crypto'
import { mkdir, stat, symlink, truncate, writeFile } from 'node:fs/promises'
import { truncateSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HASH_BYTES, MAX_PIECES } from '../../../src/constants.js'
import { createMetadata, walkShare } from '../../../src/metadata/create.js'
import { tempDir, type TempDir } from '../../helpers/files.js'
import { asyncCodeOf } from './error-code.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest()

/** The piece hashes computed the obvious way, from the whole content in memory. */
function pieceHashes (content: Buffer, pieceSize: number): Buffer {
  const hashes: Buffer[] = []
  for (let offset = 0; offset < content.length; offset += pieceSize) {
    hashes.push(sha256(content.subarray(offset, offset + pieceSize)))
  }
  return Buffer.concat(hashes)
}

let dir: TempDir
beforeEach(async () => { dir = await tempDir('bitswarm-metadata-') })
afterEach(async () => { await dir.remove() })

describe('createMetadata of a file', () => {
  it('hashes every piece of the content', async () => {
    const content = randomBytes(50_000)
    const path = join(dir.path, 'data.bin')
    await writeFile(path, content)
    const meta = await createMetadata(path, { pieceSize: 16 * KiB })
    expect(meta.name).toBe('data.bin')
    expect(meta.info.files).toEqual([{ path: [], length: 50_000 }])
    expect(meta.pieceCount).toBe(4)
    expect(meta.info.pieceHashes).toEqual(pieceHashes(content, 16 * KiB))
    for (let i = 0; i < meta.pieceCount; i++) {
      expect(meta.verifyPiece(i, content.subarray(i * 16 * KiB, i * 16 * KiB + meta.pieceLength(i)))).toBe(true)
    }
  })

  it('chooses the piece size when none is given', async () => {
    const path = join(dir.path, 'small.bin')
    await writeFile(path, randomBytes(100))
    expect((await createMetadata(path)).pieceSize).toBe(16 * KiB)
  })

  it('describes an empty file with no pieces', async () => {
    const path = join(dir.path, 'empty')
    await writeFile(path, '')
    const meta = await createMetadata(path)
    expect(meta.pieceCount).toBe(0)
    expect(meta.info.files).toEqual([{ path: [], length: 0 }])
  })

  it('reports progress up to the total', async () => {
    const content = randomBytes(3 * MiB + 5)
    const path = join(dir.path, 'data.bin')
    await writeFile(path, content)
    const seen: Array<[number, number]> = []
    await createMetadata(path, { onProgress: (hashed, total) => seen.push([hashed, total]) })
    expect(seen.length).toBeGreaterThan(1)
    expect(seen.every(([, total]) => total === content.length)).toBe(true)
    expect(seen.map(([hashed]) => hashed)).toEqual([...seen.map(([hashed]) => hashed)].sort((a, b) => a - b))
    expect(seen.at(-1)).toEqual([content.length, content.length])
  })

  it('streams a sparse 64 MiB file: every piece is the hash of zeros', async () => {
    const path = join(dir.path, 'sparse.img')
    await writeFile(path, '')
    await truncate(path, 64 * MiB)
    const meta = await createMetadata(path)
    expect(meta.pieceSize).toBe(64 * KiB)
    expect(meta.pieceCount).toBe(1024)
    const zeros = sha256(Buffer.alloc(64 * KiB))
    for (let i = 0; i < meta.pieceCount; i++) expect(meta.pieceHash(i)).toEqual(zeros)

    const large = await createMetadata(path, { pieceSize: 4 * MiB })
    expect(large.pieceCount).toBe(16)
    expect(large.pieceHash(15)).toEqual(sha256(Buffer.alloc(4 * MiB)))
  })

  it('walks a sparse 10 GiB file without reading it', async () => {
    const path = join(dir.path, 'huge.img')
    await writeFile(path, '')
    await truncate(path, 10 * GiB)
    const share = await walkShare(path)
    const { mtimeNs } = await stat(path, { bigint: true })
    expect(share).toEqual({ root: path, isFile: true, files: [{ path: [], length: 10 * GiB, absolute: path, mtimeNs, executable: false }], folders: [], skipped: [] })
  })

  it('refuses more than MAX_PIECES pieces before hashing anything', async () => {
    const path = join(dir.path, 'huge.img')
    await writeFile(path, '')
    await truncate(path, (MAX_PIECES + 1) * 16 * KiB)
    let progressed = false
    const code = await asyncCodeOf(async () => await createMetadata(path, { pieceSize: 16 * KiB, onProgress: () => { progressed = true } }))
    expect(code).toBe('ERR_TOO_MANY_PIECES')
    expect(progressed).toBe(false)
  })

  it('fails cleanly when a file shrinks while it is being hashed', async () => {
    const path = join(dir.path, 'shrinking.bin')
    await writeFile(path, Buffer.alloc(16 * MiB, 1))
    let shrunk = false
    const shrinkOnce = (): void => { if (!shrunk) { shrunk = true; truncateSync(path, 0) } }
    const code = await asyncCodeOf(async () => await createMetadata(path, { onProgress: shrinkOnce }))
    expect(shrunk).toBe(true)
    expect(code).toBe('ERR_IO')
  })

  it('refuses an invalid piece size', async () => {
    const path = join(dir.path, 'a')
    await writeFile(path, 'a')
    expect(await asyncCodeOf(async () => await createMetadata(path, { pieceSize: 1000 }))).toBe('ERR_INVALID_PIECE_SIZE')
  })

  it('follows a symlink given as the root, naming the share after the link', async () => {
    const target = join(dir.path, 'target.bin')
    await writeFile(target, 'hello')
    const link = join(dir.path, 'link.bin')
    await symlink(target, link)
    const meta = await createMetadata(link)
    expect(meta.name).toBe('link.bin')
    expect(meta.info.pieceHashes).toEqual(sha256(Buffer.from('hello')))
  })
})

describe('createMetadata of a folder', () => {
  /** Writes each file (relative path → content) under `root`, making folders as needed. */
  async function writeTree (root: string, files: Record<string, Buffer>): Promise<void> {
    for (const [relative, content] of Object.entries(files)) {
      await mkdir(dirname(join(root, relative)), { recursive: true })
      await writeFile(join(root, relative), content)
    }
  }

  it('hashes the concatenation of the files in canonical order, pieces spanning files', async () => {
    const root = join(dir.path, 'album')
    const files = {
      'b.txt': randomBytes(10_000),
      'a/z.bin': randomBytes(30_000),
      'a/b/c.bin': randomBytes(5_000),
      '.hidden': randomBytes(7),
      empty: Buffer.alloc(0),
      'B.txt': randomBytes(3),
      'é.txt': randomBytes(17_000)
    }
    await writeTree(root, files)
    const order = ['.hidden', 'B.txt', 'a/b/c.bin', 'a/z.bin', 'b.txt', 'empty', 'é.txt']
    const content = Buffer.concat(order.map(name => files[name as keyof typeof files]))

    const meta = await createMetadata(root, { pieceSize: 16 * KiB })
    expect(meta.name).toBe('album')
    expect(meta.info.files).toEqual(order.map(name => ({ path: name.split('/'), length: files[name as keyof typeof files].length })))
    expect(meta.totalBytes).toBe(content.length)
    expect(meta.info.pieceHashes).toEqual(pieceHashes(content, 16 * KiB))

    const share = await walkShare(root)
    expect(share.isFile).toBe(false)
    expect(share.root).toBe(root)
    expect(share.files.map(file => file.absolute)).toEqual(order.map(name => join(root, name)))
  })

  it('hashes the same with any read chunking: a share larger than one read buffer', async () => {
    const root = join(dir.path, 'big')
    const files = { 'x.bin': randomBytes(MiB + 333), 'y.bin': randomBytes(2 * MiB - 1), 'z.bin': randomBytes(77) }
    await writeTree(root, files)
    const meta = await createMetadata(root, { pieceSize: 256 * KiB })
    expect(meta.info.pieceHashes).toEqual(pieceHashes(Buffer.concat(Object.values(files)), 256 * KiB))
    expect(meta.info.pieceHashes.byteLength).toBe(meta.pieceCount * HASH_BYTES)
  })

  it('keeps the same info hash for the same content', async () => {
    const root = join(dir.path, 'same')
    await writeTree(root, { 'a.txt': Buffer.from('one'), 'b/c.txt': Buffer.from('two') })
    const first = await createMetadata(root)
    const second = await createMetadata(root)
    expect(second.bytes).toEqual(first.bytes)
    expect(second.infoHash).toEqual(first.infoHash)
  })
})

describe('createMetadata errors', () => {
  it('reports a missing path', async () => {
    expect(await asyncCodeOf(async () => await createMetadata(join(dir.path, 'nope')))).toBe('ERR_NOT_FOUND')
    expect(await asyncCodeOf(async () => await walkShare(join(dir.path, 'nope', 'deeper')))).toBe('ERR_NOT_FOUND')
  })

  it('refuses an empty folder', async () => {
    const root = join(dir.path, 'empty')
    await mkdir(root)
    expect(await asyncCodeOf(async () => await createMetadata(root))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses a folder holding only empty folders', async () => {
    const root = join(dir.path, 'hollow')
    await mkdir(join(root, 'a', 'b'), { recursive: true })
    expect(await asyncCodeOf(async () => await createMetadata(root))).toBe('ERR_INVALID_METADATA')
  })

  it('skips symbolic links inside a folder (to inside, outside, nowhere, in a loop: never followed), says which, and shares the rest', async () => {
    const root = join(dir.path, 'share')
    await mkdir(join(root, 'sub'), { recursive: true })
    await writeFile(join(root, 'real.txt'), 'x')
    await symlink(join(root, 'real.txt'), join(root, 'link.txt'))
    await symlink('/etc', join(root, 'sub', 'outside'))
    await symlink(join(root, 'nowhere'), join(root, 'dangling'))
    await symlink(join(root, 'loop-b'), join(root, 'loop-a')) // a loop: never followed, so never walked
    await symlink(join(root, 'loop-a'), join(root, 'loop-b'))
    const skipped: unknown[] = []
    const meta = await createMetadata(root, { onSkipped: (entries) => skipped.push(...entries) })
    expect(meta.info.files.map((f) => f.path)).toEqual([['real.txt']])
    expect(skipped).toEqual([
      { path: ['dangling'], kind: 'symbolic link' },
      { path: ['link.txt'], kind: 'symbolic link' },
      { path: ['loop-a'], kind: 'symbolic link' },
      { path: ['loop-b'], kind: 'symbolic link' },
      { path: ['sub', 'outside'], kind: 'symbolic link' }
    ])
    // A folder that held only a link is empty once it is skipped: kept as an empty folder.
    expect(meta.info.folders).toEqual([['sub']])
  })

  it('keeps empty folders and the executable bit; a share without either keeps its version-1 bytes', async () => {
    const root = join(dir.path, 'tools')
    await mkdir(join(root, 'empty', 'deeper'), { recursive: true })
    await mkdir(join(root, 'bin'))
    await writeFile(join(root, 'bin', 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 })
    await writeFile(join(root, 'readme'), 'read me')
    const meta = await createMetadata(root)
    expect(meta.info.files).toEqual([{ path: ['bin', 'run.sh'], length: 18, executable: true }, { path: ['readme'], length: 7 }])
    expect(meta.info.folders).toEqual([['empty', 'deeper']])
    expect(meta.bytes[0]).toBe(2)

    const plain = join(dir.path, 'plain')
    await mkdir(plain)
    await writeFile(join(plain, 'a.txt'), 'a')
    expect((await createMetadata(plain)).bytes[0]).toBe(1)
  })

  it('skips a special file inside a folder', async () => {
    const root = join(dir.path, 'share')
    await mkdir(root)
    await writeFile(join(root, 'real.txt'), 'x')
    const server = createServer()
    await new Promise<void>(resolve => server.listen(join(root, 'socket'), resolve))
    try {
      expect((await walkShare(root)).skipped).toEqual([{ path: ['socket'], kind: 'special file' }])
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('refuses a special file as the root', async () => {
    expect(await asyncCodeOf(async () => await walkShare('/dev/null'))).toBe('ERR_INVALID_METADATA')
  })

  it('refuses a file name that is not valid UTF-8', async () => {
    const root = join(dir.path, 'share')
    await mkdir(root)
    await writeFile(Buffer.concat([Buffer.from(root + '/'), Buffer.from([0x66, 0xff])]), 'x')
    await expect(walkShare(root)).rejects.toThrow(/not valid UTF-8/)
  })

  it('refuses a file name that could not be recreated elsewhere', async () => {
    const root = join(dir.path, 'share')
    await mkdir(root)
    await writeFile(join(root, 'back\\slash'), 'x')
    expect(await asyncCodeOf(async () => await createMetadata(root))).toBe('ERR_INVALID_METADATA')
  })
})
