import { describe, expect, it } from 'vitest'
import { RateMeter } from '../../src/rate.js'

describe('RateMeter', () => {
  it('averages over its window and forgets old traffic', () => {
    let now = 10_000
    const meter = new RateMeter(() => now)
    for (let s = 0; s < 5; s++) {
      meter.add(1000)
      now += 1000
    }
    expect(meter.rate).toBeCloseTo(1000, -1)
    now += 10_000
    expect(meter.rate).toBe(0)
    expect(meter.total).toBe(5000)
  })

  it('does not inflate the rate of a meter younger than a second', () => {
    let now = 0
    const meter = new RateMeter(() => now)
    meter.add(500)
    now = 100
    expect(meter.rate).toBe(500)
  })
})
