import { describe, expect, it } from 'vitest'
import { OutstandingRequests } from '../../../src/session/outstanding-requests.js'

describe('OutstandingRequests', () => {
  it('adds up the bytes in flight as requests come and go', () => {
    const r = new OutstandingRequests()
    r.add({ piece: 0, offset: 0, length: 16384, sentAt: 1 })
    r.add({ piece: 1, offset: 0, length: 16384, sentAt: 1 })
    r.add({ piece: 2, offset: 0, length: 1000, sentAt: 1 })
    expect([r.size, r.bytes]).toEqual([3, 33768])
    expect(r.delete(1, 0)).toBe(true)
    expect(r.delete(1, 0)).toBe(false)
    expect([r.size, r.bytes, r.has(0, 0), r.has(1, 0)]).toEqual([2, 17384, true, false])
    r.clear()
    expect([r.size, r.bytes]).toEqual([0, 0])
  })

  it('counts a request sent again once', () => {
    const r = new OutstandingRequests()
    r.add({ piece: 4, offset: 262144, length: 262144, sentAt: 1 })
    r.add({ piece: 4, offset: 262144, length: 262144, sentAt: 2 })
    expect([r.size, r.bytes]).toEqual([1, 262144])
    expect([...r.values()][0]!.sentAt).toBe(2)
  })

  it('allows deleting while iterating (expiry walks and removes)', () => {
    const r = new OutstandingRequests()
    for (let i = 0; i < 5; i++) r.add({ piece: i, offset: 0, length: 10, sentAt: i })
    for (const q of r.values()) if (q.sentAt < 3) r.delete(q.piece, q.offset)
    expect([r.size, r.bytes]).toEqual([2, 20])
  })
})
