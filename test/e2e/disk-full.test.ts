// A download whose disk fills up or fails, for every machine: the failure is injected (writes
// into the download's folder fail with ENOSPC, EIO or EACCES past a quota), the rest is real: the nodes, the
// testnet, the files. test/net/disk-full.test.ts runs the same on a real full tmpfs (root).

import { readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { diskFullScenario } from '../helpers/disk-full.js'
import { useTestSwarm } from '../helpers/testnet.js'

const MiB = 1024 * 1024

/** Writes under `dir` fail with `errno` once `quota` bytes went there (Infinity: never). */
const disk = vi.hoisted(() => ({ dir: '', quota: Infinity, written: 0, errno: 'ENOSPC' }))

vi.mock('../../src/storage/positional.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/storage/positional.js')>()
  return {
    ...real,
    writevExactly: async (handle: { fd: number }, chunks: readonly Uint8Array[], position: number): Promise<void> => {
      const path = readlinkSync(`/proc/self/fd/${handle.fd}`)
      if (disk.dir !== '' && path.startsWith(disk.dir)) {
        const bytes = chunks.reduce((sum, c) => sum + c.byteLength, 0)
        if (disk.written + bytes > disk.quota) throw Object.assign(new Error(`${disk.errno}: write failed`), { code: disk.errno })
        disk.written += bytes
      }
      await real.writevExactly(handle as never, chunks, position)
    }
  }
})

describe('a download onto a disk that fills up or fails (injected)', () => {
  const fixture = useTestSwarm()

  it.each([
    ['ENOSPC', 'ERR_DISK_FULL'],
    ['EIO', 'ERR_IO'],
    ['EACCES', 'ERR_NOT_WRITABLE']
  ])('%s: reports %s at once, stops asking, serves what it holds, completes once the disk takes writes again', async (errno, code) => {
    disk.dir = join(fixture.dir.path, 'full')
    disk.quota = 5 * MiB
    disk.written = 0
    disk.errno = errno
    const figures = await diskFullScenario(fixture.swarm, fixture.dir.path, {
      outDir: disk.dir,
      free: async () => { disk.quota = Infinity }
    }, 8 * MiB, code)
    expect(figures.heldAtError).toBe(80) // 5 MiB of 64 KiB pieces
    expect(figures.errorAfterLastPieceMs).toBeLessThan(1000)
  })
})
