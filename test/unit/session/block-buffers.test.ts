import { describe, expect, it } from 'vitest'
import { BlockBuffers } from '../../../src/session/block-buffers.js'

describe('BlockBuffers', () => {
  it('hands a given-back block buffer to the next read, and fresh ones when none is free', () => {
    const pool = new BlockBuffers(1024, 2)
    const a = pool.take(1024)
    const b = pool.take(1024)
    expect(a).not.toBe(b)
    expect(a.byteLength).toBe(1024)
    pool.give(a)
    expect(pool.freeCount).toBe(1)
    expect(pool.take(1024)).toBe(a)
    expect(pool.freeCount).toBe(0)
  })

  it('keeps at most maxFree buffers, and never one of another size', () => {
    const pool = new BlockBuffers(1024, 2)
    const taken = [pool.take(1024), pool.take(1024), pool.take(1024)]
    for (const buffer of taken) pool.give(buffer)
    expect(pool.freeCount).toBe(2)
    const short = pool.take(100) // the last block of a piece: not pooled
    expect(short.byteLength).toBe(100)
    pool.give(short)
    pool.give(Buffer.alloc(4096))
    expect(pool.freeCount).toBe(2)
    expect([pool.take(1024), pool.take(1024)].every((b) => b.byteLength === 1024)).toBe(true)
  })
})
