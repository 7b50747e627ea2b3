import { open, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FilePool } from '../../../src/storage/file-pool.js'
import { tempDirs } from './fixtures.js'

const dirs = tempDirs()
afterEach(dirs.cleanup)

/** A pool over files "0", "1", … in a fresh folder, recording each handle it opens. */
async function poolOver (fileCount: number, maxOpen: number): Promise<{ pool: FilePool, opened: FileHandle[], opens: number[] }> {
  const dir = await dirs.make()
  for (let file = 0; file < fileCount; file++) await writeFile(join(dir, String(file)), `file ${file}`)
  const opened: FileHandle[] = []
  const opens: number[] = []
  const pool = new FilePool(async (file) => {
    opens.push(file)
    const handle = await open(join(dir, String(file)), 'r')
    opened.push(handle)
    return handle
  }, maxOpen)
  return { pool, opened, opens }
}

const readAll = async (handle: FileHandle): Promise<string> => {
  const buffer = Buffer.alloc(32)
  const { bytesRead } = await handle.read(buffer, 0, 32, 0)
  return buffer.subarray(0, bytesRead).toString()
}

describe('FilePool', () => {
  it('opens a file once and reuses its handle', async () => {
    const { pool, opens } = await poolOver(2, 4)
    expect(await pool.use(1, readAll)).toBe('file 1')
    expect(await pool.use(1, readAll)).toBe('file 1')
    await Promise.all([pool.use(0, readAll), pool.use(0, readAll)])
    expect(opens).toEqual([1, 0])
    await pool.close()
  })

  it('closes the least recently used idle handle beyond its limit', async () => {
    const { pool, opens } = await poolOver(3, 2)
    await pool.use(0, readAll)
    await pool.use(1, readAll)
    await pool.use(0, readAll) // 1 is now the least recently used
    await pool.use(2, readAll)
    expect(pool.size).toBe(2)
    await pool.use(0, readAll)
    await pool.use(1, readAll)
    expect(opens).toEqual([0, 1, 2, 1])
    await pool.close()
  })

  it('never closes a handle while it is in use', async () => {
    const { pool } = await poolOver(3, 1)
    let release!: () => void
    const held = pool.use(0, async (handle) => {
      await new Promise<void>((resolve) => { release = resolve })
      return await readAll(handle) // would fail with EBADF had the pool closed it
    })
    await pool.use(1, readAll)
    await pool.use(2, readAll)
    release()
    expect(await held).toBe('file 0')
    expect(pool.size).toBe(1)
    await pool.close()
  })

  it('waits for work under way on close, closes every handle, then refuses new work', async () => {
    const { pool, opened } = await poolOver(2, 4)
    const reads = [pool.use(0, readAll), pool.use(1, readAll)]
    await pool.close()
    expect(await Promise.all(reads)).toEqual(['file 0', 'file 1'])
    for (const handle of opened) expect(handle.fd).toBe(-1) // closed
    await expect(pool.use(0, readAll)).rejects.toMatchObject({ code: 'ERR_CLOSED' })
  })

  it('retries a file whose open failed', async () => {
    let attempts = 0
    const dir = await dirs.make()
    await writeFile(join(dir, 'f'), 'finally')
    const pool = new FilePool(async () => {
      if (++attempts === 1) throw new Error('transient')
      return await open(join(dir, 'f'), 'r')
    })
    await expect(pool.use(0, readAll)).rejects.toThrow('transient')
    expect(await pool.use(0, readAll)).toBe('finally')
    await pool.close()
  })
})
