import { describe, expect, it } from 'vitest'
import { limitsFor, seedLimitReached } from '../../../src/daemon/seed-limits.js'

describe('seed limits', () => {
  it('a share\'s own limit wins over the daemon\'s, field by field', () => {
    expect(limitsFor({ ratio: 2 }, { ratio: 1, seconds: 60 })).toEqual({ ratio: 2, seconds: 60 })
    expect(limitsFor({}, {})).toEqual({})
  })

  it('stops at the ratio or the time, whichever comes first; no limits, never', () => {
    expect(seedLimitReached({ ratio: 1.5 }, { uploaded: 149, size: 100, seededSeconds: 0 })).toBe(null)
    expect(seedLimitReached({ ratio: 1.5 }, { uploaded: 150, size: 100, seededSeconds: 0 })).toBe('ratio')
    expect(seedLimitReached({ ratio: 9, seconds: 30 }, { uploaded: 0, size: 100, seededSeconds: 30 })).toBe('time')
    expect(seedLimitReached({ ratio: 0 }, { uploaded: 0, size: 0, seededSeconds: 1e9 })).toBe(null)
    expect(seedLimitReached({}, { uploaded: 1e12, size: 1, seededSeconds: 1e9 })).toBe(null)
  })
})
