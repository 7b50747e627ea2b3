import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WRITE_RETRY_MS } from '../../../src/constants.js'
import { diskFull, symlinkRefused } from '../../../src/errors.js'
import { isWriteStall } from '../../../src/storage/fs-errors.js'
import { StalledWrites } from '../../../src/session/stalled-writes.js'

describe('StalledWrites', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  function setup (): { stalled: StalledWrites, log: string[], disk: { full: boolean } } {
    const log: string[] = []
    const disk = { full: true }
    const stalled = new StalledWrites({
      write: async (piece) => {
        log.push(`write ${piece}`)
        if (disk.full) throw diskFull('/out/f.bitswarm-part', Object.assign(new Error('x'), { code: 'ENOSPC' }))
      },
      onWritten: ({ piece, from }) => log.push(`written ${piece} from ${from.join(',')}`),
      onCleared: () => log.push('cleared'),
      onFatal: (err) => log.push(`fatal ${(err as Error).message}`),
      isStall: isWriteStall
    })
    return { stalled, log, disk }
  }

  it('retries every WRITE_RETRY_MS, one piece while the disk refuses, all in order once it takes them', async () => {
    const { stalled, log, disk } = setup()
    stalled.add({ piece: 4, data: Buffer.alloc(1), from: ['a'] })
    stalled.add({ piece: 9, data: Buffer.alloc(1), from: ['b'] })
    expect(stalled.stalled).toBe(true)
    await vi.advanceTimersByTimeAsync(WRITE_RETRY_MS - 1)
    expect(log).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(log).toEqual(['write 4'])
    await vi.advanceTimersByTimeAsync(WRITE_RETRY_MS)
    expect(log).toEqual(['write 4', 'write 4'])
    disk.full = false
    await vi.advanceTimersByTimeAsync(WRITE_RETRY_MS)
    expect(log.slice(2)).toEqual(['write 4', 'written 4 from a', 'write 9', 'written 9 from b', 'cleared'])
    expect(stalled.stalled).toBe(false)
    await vi.advanceTimersByTimeAsync(10 * WRITE_RETRY_MS)
    expect(log).toHaveLength(7) // nothing left to retry
  })

  it('gives up on an error that is not the disk refusing, and stops when told', async () => {
    const fatal = setup()
    const stalled = new StalledWrites({
      write: async () => { throw symlinkRefused('/out/f') },
      onWritten: () => {},
      onCleared: () => fatal.log.push('cleared'),
      onFatal: (err) => fatal.log.push(`fatal ${(err as { code: string }).code}`),
      isStall: isWriteStall
    })
    stalled.add({ piece: 1, data: Buffer.alloc(1), from: [] })
    await vi.advanceTimersByTimeAsync(5 * WRITE_RETRY_MS)
    expect(fatal.log).toEqual(['fatal ERR_SYMLINK'])

    const { stalled: stopped, log } = setup()
    stopped.add({ piece: 1, data: Buffer.alloc(1), from: [] })
    stopped.stop()
    await vi.advanceTimersByTimeAsync(5 * WRITE_RETRY_MS)
    expect(log).toEqual([])
  })
})
