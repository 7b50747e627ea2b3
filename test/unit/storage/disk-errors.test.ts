// Write failures the OS reports: a full disk, a read-only filesystem. A tiny tmpfs gives a
// real full disk (mounting needs root); where mounting is not allowed, each test checks the
// same failure another way rather than being skipped.

import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PARTIAL_SUFFIX } from '../../../src/constants.js'
import { createDownload, FileStorage } from '../../../src/storage/file-storage.js'
import { makeShare, pieceOf } from './fixtures.js'

const KiB = 1024

let base: string
const mounts: string[] = []

/** Mounts a tmpfs with `options` at a new folder; null when this process may not mount. */
async function mountTmpfs (options: string): Promise<string | null> {
  const dir = join(base, `mount-${mounts.length}`)
  await mkdir(dir)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'none', dir], { stdio: 'pipe' })
  } catch (err) {
    console.warn(`cannot mount a tmpfs (${String(err)}); checking the failure another way`)
    return null
  }
  mounts.push(dir)
  return dir
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'bitswarm-disk-'))
})

afterAll(async () => {
  for (const dir of mounts.splice(0)) execFileSync('umount', [dir])
  await rm(base, { recursive: true, force: true })
})

describe('disk errors', () => {
  it('a write to a full device fails with ERR_DISK_FULL naming the path and ENOSPC', async () => {
    // /dev/full answers every write with ENOSPC: the real write path, no mount needed.
    const share = makeShare('full', [{ path: [], length: 20 * KiB }], 16 * KiB)
    const storage = new FileStorage('/dev/full', share.meta, true)
    await expect(storage.writePiece(0, pieceOf(share, 0))).rejects.toMatchObject({
      code: 'ERR_DISK_FULL',
      message: expect.stringMatching(/\/dev\/full.*disk is full.*ENOSPC/)
    })
    await storage.close()
  })

  it('a download onto a full filesystem fails with ERR_DISK_FULL naming ENOSPC and touches nothing else', async () => {
    const outside = join(base, 'outside.bin')
    const outsideBytes = randomBytes(10 * KiB)
    await writeFile(outside, outsideBytes)
    const share = makeShare('big.bin', [{ path: [], length: 4 * 1024 * KiB }], 64 * KiB)

    const disk = await mountTmpfs('size=1m')
    if (disk === null) {
      // No tiny disk to fill: an output folder that cannot be created fails as cleanly.
      const out = join(outside, 'downloads')
      await expect(createDownload(out, share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
      expect(await readFile(outside)).toEqual(outsideBytes)
      return
    }

    const neighbour = join(disk, 'neighbour.bin')
    const neighbourBytes = randomBytes(100 * KiB)
    await writeFile(neighbour, neighbourBytes)
    const out = join(disk, 'downloads')
    const storage = await createDownload(out, share.meta) // sparse: fits until written
    let failure: unknown = null
    try {
      for (let piece = 0; piece < share.meta.pieceCount && failure === null; piece++) {
        await storage.writePiece(piece, pieceOf(share, piece)).catch((err: unknown) => { failure = err })
      }
    } finally {
      await storage.close()
    }
    expect(failure).toMatchObject({ code: 'ERR_DISK_FULL', message: expect.stringContaining('ENOSPC') })
    expect((failure as Error).message).toContain(storage.partialPath)
    expect(existsSync(storage.finalPath)).toBe(false)
    expect((await readdir(disk)).sort()).toEqual(['downloads', 'neighbour.bin'])
    expect(await readdir(out)).toEqual(['big.bin' + PARTIAL_SUFFIX])
    expect(await readFile(neighbour)).toEqual(neighbourBytes)
    expect(await readFile(outside)).toEqual(outsideBytes)
  })

  it('a download into a read-only filesystem fails with ERR_NOT_WRITABLE before writing', async () => {
    const share = makeShare('f.bin', [{ path: [], length: 100 }], 16 * KiB)
    const readOnly = await mountTmpfs('ro,size=1m')
    if (readOnly === null) {
      // As root a chmod would not stop us; an output folder below a file cannot exist either.
      const file = join(base, 'a-file')
      await writeFile(file, 'x')
      await expect(createDownload(join(file, 'out'), share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
      return
    }
    await expect(createDownload(readOnly, share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE', message: expect.stringContaining(readOnly) })
    await expect(createDownload(join(readOnly, 'sub'), share.meta)).rejects.toMatchObject({ code: 'ERR_NOT_WRITABLE' })
    expect(await readdir(readOnly)).toEqual([])
  })
})
