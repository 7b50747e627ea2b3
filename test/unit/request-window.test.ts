import { describe, expect, it } from 'vitest'
import {
  INITIAL_WINDOW_RATE, MAX_INFLIGHT_BYTES, MAX_UPLOAD_WINDOW_BYTES, MIN_INFLIGHT_BYTES, RATE_WARMUP_MS, REQUEST_QUEUE_MS, STREAM_REQUEST_QUEUE_MS,
  UPLOAD_WINDOW_BYTES
} from '../../src/constants.js'
import { requestWindowBytes, sendWindowBytes } from '../../src/request-window.js'

const MB = 1e6

describe('requestWindowBytes', () => {
  it('gives a peer without a measured rate the minimum window', () => {
    expect(requestWindowBytes({ rate: 0, rttMs: 0 })).toBe(MIN_INFLIGHT_BYTES)
    expect(requestWindowBytes({ rate: 0, rttMs: 200 })).toBe(MIN_INFLIGHT_BYTES)
  })

  it('is twice the bandwidth–delay product plus the queue time at the measured rate', () => {
    // 10 MB/s at 62 ms: BDP 620 kB; 2 × 620 kB + 1 s × 10 MB/s
    expect(requestWindowBytes({ rate: 10 * MB, rttMs: 62 })).toBe(1_240_000 + 10 * MB * REQUEST_QUEUE_MS / 1000)
  })

  it('queues only the given time of data when told (a reader waiting: STREAM_REQUEST_QUEUE_MS)', () => {
    expect(requestWindowBytes({ rate: 10 * MB, rttMs: 62, queueMs: STREAM_REQUEST_QUEUE_MS })).toBe(1_240_000 + 10 * MB * STREAM_REQUEST_QUEUE_MS / 1000)
    expect(requestWindowBytes({ rate: 10 * MB, rttMs: 62, queueMs: STREAM_REQUEST_QUEUE_MS })).toBeLessThan(requestWindowBytes({ rate: 10 * MB, rttMs: 62 }))
  })

  it('grows with the round trip at the same rate', () => {
    const near = requestWindowBytes({ rate: 4 * MB, rttMs: 1 })
    const far = requestWindowBytes({ rate: 4 * MB, rttMs: 300 })
    expect(far - near).toBe(2_392_000)
  })

  it('never exceeds the byte cap, and ignores a nonsense round trip', () => {
    expect(requestWindowBytes({ rate: 500 * MB, rttMs: 100 })).toBe(MAX_INFLIGHT_BYTES)
    expect(requestWindowBytes({ rate: 2 * MB, rttMs: Number.NaN })).toBe(2 * MB)
    expect(requestWindowBytes({ rate: 2 * MB, rttMs: -5 })).toBe(2 * MB)
  })

  it('gives a new far peer twice its round trip at the initial rate, until its rate is measured', () => {
    expect(requestWindowBytes({ rate: 0, rttMs: 60, ageMs: 0 })).toBe(Math.ceil(INITIAL_WINDOW_RATE * 0.12))
    expect(requestWindowBytes({ rate: 0, rttMs: 60, ageMs: RATE_WARMUP_MS })).toBe(MIN_INFLIGHT_BYTES)
  })

  it('leaves a new peer on loopback or a LAN at the minimum (upload-limited swarms want small windows)', () => {
    expect(requestWindowBytes({ rate: 0, rttMs: 0.5, ageMs: 0 })).toBe(MIN_INFLIGHT_BYTES)
    expect(requestWindowBytes({ rate: 0, rttMs: 2, ageMs: 0 })).toBe(MIN_INFLIGHT_BYTES)
  })
})

describe('sendWindowBytes', () => {
  it('stays at its floor on loopback and LANs, whatever the rate', () => {
    expect(sendWindowBytes({ rate: 150 * MB, rttMs: 0.2 })).toBe(UPLOAD_WINDOW_BYTES)
    expect(sendWindowBytes({ rate: 0, rttMs: 1, ageMs: 0 })).toBe(UPLOAD_WINDOW_BYTES)
  })

  it('covers twice the bandwidth–delay product far away, at the initial rate while the rate is unknown', () => {
    expect(sendWindowBytes({ rate: 20 * MB, rttMs: 80 })).toBe(3_200_000)
    expect(sendWindowBytes({ rate: 0, rttMs: 80, ageMs: 0 })).toBe(Math.ceil(2 * INITIAL_WINDOW_RATE * 0.08))
    expect(sendWindowBytes({ rate: 100 * MB, rttMs: 300 })).toBe(MAX_UPLOAD_WINDOW_BYTES)
  })
})
