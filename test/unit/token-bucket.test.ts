import { describe, expect, it } from 'vitest'
import { TokenBucket } from '../../src/token-bucket.js'

const KiB = 1024
const MiB = 1024 * KiB
const WINDOW_MS = 10_000

/** Small seeded generator: timer lateness that replays. */
function seeded (seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
}

interface Run {
  /** Bytes over the time the sender paid for them: the clock once its last wait is over. */
  paidRate: number
  /** Bytes sent in the first WINDOW_MS, over WINDOW_MS. */
  windowRate: number
}

/** A sender that loops for WINDOW_MS of simulated time: 'take' sends a block and sleeps what
 *  take() returns; 'delay' sleeps delayFor(), then sends with tryTake(). Timers fire up to
 *  `lateMs` late, as real ones do. */
function simulate (rate: number, block: number, style: 'take' | 'delay', lateMs = 0): Run {
  const late = seeded(rate + block)
  let now = 0
  const bucket = new TokenBucket({ rate, now: () => now })
  let sent = 0
  let inWindow = 0
  const send = (): void => {
    sent += block
    if (now < WINDOW_MS) inWindow += block
  }
  while (now < WINDOW_MS) {
    if (style === 'take') {
      const wait = bucket.take(block)
      send()
      now += wait + (wait > 0 ? late() * lateMs : 0)
    } else {
      const wait = bucket.delayFor(block)
      now += wait + (wait > 0 ? late() * lateMs : 0)
      if (now >= WINDOW_MS) break
      expect(bucket.tryTake(block)).toBe(true)
      send()
    }
  }
  // Whatever was sent last is paid for by now: no debt is left out of the measure.
  expect(bucket.delayFor(0)).toBe(0)
  return { paidRate: sent / (now / 1000), windowRate: inWindow / (WINDOW_MS / 1000) }
}

describe('TokenBucket', () => {
  describe('holds the rate within 10% over 10 s', () => {
    for (const rate of [64 * KiB, 2 * MiB, 4 * MiB]) {
      for (const block of [16 * KiB, 256 * KiB]) {
        for (const style of ['take', 'delay'] as const) {
          for (const lateMs of [0, 15]) {
            it(`${rate / KiB} KiB/s in ${block / KiB} KiB blocks, ${style}, timers up to ${lateMs} ms late`, () => {
              const run = simulate(rate, block, style, lateMs)
              expect(run.paidRate).toBeLessThanOrEqual(rate * 1.1)
              expect(run.paidRate).toBeGreaterThanOrEqual(rate * 0.9)
              // A fixed window counts a block sent at its end in full: only meaningful when
              // one block is a small part of it (256 KiB at 64 KiB/s is 4 s of sending).
              if (block <= rate) {
                expect(run.windowRate).toBeLessThanOrEqual(rate * 1.1)
                expect(run.windowRate).toBeGreaterThanOrEqual(rate * 0.9)
              }
            })
          }
        }
      }
    }
  })

  it('does not let blocks larger than the burst exceed the rate (debt)', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 100 * KiB, burst: 16 * KiB, now: () => now })
    let sent = 0
    for (let i = 0; i < 20; i++) {
      now += bucket.take(256 * KiB)
      sent += 256 * KiB
    }
    // 20 blocks, each paid for: only the initial burst comes for free.
    expect(sent).toBeLessThanOrEqual(100 * KiB * (now / 1000) + 16 * KiB)
    expect(sent / (now / 1000)).toBeCloseTo(100 * KiB, -3)
  })

  it('starts full and bursts up to its burst, then paces at the rate', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 5000, now: () => now })
    expect(bucket.tryTake(5000)).toBe(true)
    expect(bucket.tryTake(1)).toBe(false)
    expect(bucket.delayFor(1000)).toBe(1000)
    now += 999
    expect(bucket.tryTake(1000)).toBe(false)
    now += 1
    expect(bucket.tryTake(1000)).toBe(true)
  })

  it('saves no more than its burst while idle', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 5000, now: () => now })
    bucket.take(5000)
    now += 60_000
    expect(bucket.tryTake(5000)).toBe(true)
    expect(bucket.tryTake(1000)).toBe(false)
  })

  it('takes nothing when tryTake fails', () => {
    const now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 2000, now: () => now })
    bucket.take(1500)
    expect(bucket.tryTake(1000)).toBe(false)
    expect(bucket.tryTake(500)).toBe(true)
    expect(bucket.delayFor(1)).toBe(1)
  })

  it('goes into debt for a block larger than the burst and says how long it lasts', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 1000, now: () => now })
    expect(bucket.take(3000)).toBe(2000)
    expect(bucket.delayFor(0)).toBe(2000)
    expect(bucket.tryTake(1)).toBe(false)
    now += 2000
    expect(bucket.delayFor(0)).toBe(0)
    // More than the burst can never be covered: it may go once the bucket is full.
    expect(bucket.delayFor(3000)).toBe(1000)
    now += 1000
    expect(bucket.tryTake(3000)).toBe(true)
    expect(bucket.delayFor(0)).toBe(2000)
  })

  it('defaults the burst to a quarter second at the rate, at least 32 KiB', () => {
    expect(new TokenBucket({ rate: 4 * MiB, now: () => 0 }).burst).toBe(1 * MiB)
    expect(new TokenBucket({ rate: 64 * KiB, now: () => 0 }).burst).toBe(32 * KiB)
  })

  it('never delays when unlimited', () => {
    for (const rate of [0, Infinity]) {
      let now = 0
      const bucket = new TokenBucket({ rate, now: () => now })
      expect(bucket.unlimited).toBe(true)
      for (let i = 0; i < 100; i++) {
        expect(bucket.tryTake(64 * MiB)).toBe(true)
        expect(bucket.take(64 * MiB)).toBe(0)
        expect(bucket.delayFor(64 * MiB)).toBe(0)
        now += 1
      }
    }
    expect(new TokenBucket({ rate: 1, now: () => 0 }).unlimited).toBe(false)
  })

  it('applies setRate at once, to a debt being paid off too', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 1000, now: () => now })
    expect(bucket.take(5000)).toBe(4000)
    now += 1000 // 1000 bytes of the debt paid at the old rate
    bucket.setRate(3000)
    expect(bucket.delayFor(0)).toBe(1000)
    expect(bucket.rate).toBe(3000)
  })

  it('lifts the limit with setRate(0) and starts full when limited again', () => {
    const now = 0
    const bucket = new TokenBucket({ rate: 1000, burst: 1000, now: () => now })
    bucket.take(5000)
    bucket.setRate(0)
    expect(bucket.unlimited).toBe(true)
    expect(bucket.delayFor(1 * MiB)).toBe(0)
    bucket.setRate(1000)
    expect(bucket.unlimited).toBe(false)
    expect(bucket.tryTake(1000)).toBe(true)
    expect(bucket.tryTake(1)).toBe(false)
  })

  it('keeps an explicit burst across setRate and scales a default one', () => {
    const fixed = new TokenBucket({ rate: 1 * MiB, burst: 100 * KiB, now: () => 0 })
    fixed.setRate(8 * MiB)
    expect(fixed.burst).toBe(100 * KiB)
    const scaled = new TokenBucket({ rate: 1 * MiB, now: () => 0 })
    scaled.setRate(8 * MiB)
    expect(scaled.burst).toBe(2 * MiB)
  })

  it('holds a rate changed halfway through a run', () => {
    let now = 0
    const bucket = new TokenBucket({ rate: 2 * MiB, now: () => now })
    let sent = 0
    while (now < 10_000) {
      if (now >= 5000 && bucket.rate !== 512 * KiB) bucket.setRate(512 * KiB)
      now += bucket.take(16 * KiB)
      sent += 16 * KiB
    }
    const expected = 2 * MiB * 5 + 512 * KiB * 5
    expect(sent).toBeLessThanOrEqual(expected * 1.1)
    expect(sent).toBeGreaterThanOrEqual(expected * 0.9)
  })

  it('rejects a rate or burst that is not a byte count', () => {
    expect(() => new TokenBucket({ rate: -1 })).toThrow(RangeError)
    expect(() => new TokenBucket({ rate: Number.NaN })).toThrow(RangeError)
    expect(() => new TokenBucket({ rate: 1000, burst: 0 })).toThrow(RangeError)
    expect(() => new TokenBucket({ rate: 1000 }).setRate(-5)).toThrow(RangeError)
  })
})
