// The candidates of new picks, bucketed by priority and availability: the best bucket wins,
// ties go at random, moves keep every piece in exactly one place, and a pick from a seeder
// looks at O(1) pieces however many there are.

import { describe, expect, it } from 'vitest'
import { EXACT_TIE_BREAK_PIECES } from '../../../src/constants.js'
import { PieceBuckets } from '../../../src/picker/piece-buckets.js'
import { seeded } from '../../helpers/random.js'

function buckets (availability: number[], random: () => number = () => 0.5): { b: PieceBuckets, counts: Uint32Array } {
  const counts = Uint32Array.from(availability)
  return { b: new PieceBuckets(counts.length, counts, random), counts }
}

const any = (): boolean => true

describe('PieceBuckets', () => {
  it('picks the highest priority, then the rarest, among the eligible pieces', () => {
    const { b } = buckets([3, 1, 2, 1, 5])
    b.add(0, 1)
    b.add(1, 1)
    b.add(2, 2)
    b.add(3, 1)
    b.add(4, 2)
    expect(b.size).toBe(5)
    expect(b.pick(any, false)).toBe(2) // high: 2 (availability 2) before 4 (5)
    expect(b.pick((p) => p !== 2 && p !== 4, false)).toBe(1) // normal, rarest, lowest on a tie at random() 0.5
    expect(b.pick((p) => p === 0, false)).toBe(0)
    expect(b.pick(() => false, false)).toBe(-1)
  })

  it('ignores availability when asked (random-first), never priority', () => {
    const { b } = buckets([9, 1, 1])
    b.add(0, 2)
    b.add(1, 1)
    b.add(2, 1)
    expect(b.pick(any, true)).toBe(0)
    expect(b.pick((p) => p !== 0, true)).toBe(1)
  })

  it('moves a piece with its availability and forgets a removed one', () => {
    const { b, counts } = buckets([1, 1, 1])
    for (const p of [0, 1, 2]) b.add(p, 1)
    counts[0] = 4
    b.availabilityChanged(0)
    counts[1] = 3
    b.availabilityChanged(1)
    expect(b.pick(any, false)).toBe(2)
    b.remove(2)
    expect(b.has(2)).toBe(false)
    expect(b.pick(any, false)).toBe(1)
    b.remove(1)
    b.remove(1) // twice: no effect
    expect(b.size).toBe(1)
    expect(b.pick(any, false)).toBe(0)
    b.add(2, 1) // back, with its current count
    expect(b.pick(any, false)).toBe(2)
  })

  it('breaks a tie uniformly among many pieces, looking at one piece a pick from a seeder', () => {
    const n = 50 * EXACT_TIE_BREAK_PIECES
    const { b } = buckets(new Array<number>(n).fill(1), seeded(7))
    for (let p = 0; p < n; p++) b.add(p, 1)
    const hits = new Uint32Array(10)
    let looks = 0
    for (let round = 0; round < 5000; round++) {
      const piece = b.pick(() => { looks++; return true }, false)
      hits[Math.floor(piece / (n / 10))]!++
    }
    expect(looks).toBe(5000)
    for (const h of hits) expect(h).toBeGreaterThan(400) // 500 expected in each tenth
  })

  it('agrees with a scan of every piece over random adds, moves and removals', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seeded(seed)
      const n = 1 + Math.floor(random() * 3 * EXACT_TIE_BREAK_PIECES)
      const { b, counts } = buckets(Array.from({ length: n }, () => Math.floor(random() * 4)), random)
      const filed = new Uint8Array(n)
      for (let step = 0; step < 400; step++) {
        const piece = Math.floor(random() * n)
        const op = random()
        if (op < 0.3) {
          const priority = 1 + Math.floor(random() * 2)
          if (filed[piece] === 0) filed[piece] = priority
          b.add(piece, priority)
        } else if (op < 0.45) {
          b.remove(piece)
          filed[piece] = 0
        } else if (op < 0.7) {
          counts[piece] = Math.max(0, counts[piece]! + (random() < 0.5 ? -1 : 1))
          b.availabilityChanged(piece)
        } else {
          const peer = Array.from({ length: n }, () => random() < 0.6)
          const eligible = (p: number): boolean => peer[p]!
          const ignore = random() < 0.3
          const picked = b.pick(eligible, ignore)
          // The reference: the best (priority, availability) among eligible candidates.
          let best: [number, number] | null = null
          const key = (p: number): [number, number] => [filed[p]!, ignore ? 0 : -counts[p]!]
          for (let p = 0; p < n; p++) {
            if (filed[p] === 0 || !peer[p]) continue
            const k = key(p)
            if (best === null || k[0] > best[0] || (k[0] === best[0] && k[1] > best[1])) best = k
          }
          if (best === null) {
            expect(picked, `seed ${seed}`).toBe(-1)
          } else {
            expect(picked, `seed ${seed}`).not.toBe(-1)
            expect(filed[picked], `seed ${seed}`).not.toBe(0)
            expect(peer[picked], `seed ${seed}`).toBe(true)
            expect(key(picked), `seed ${seed}`).toEqual(best)
          }
        }
        expect(b.size).toBe(filed.reduce((s, f) => s + (f > 0 ? 1 : 0), 0))
      }
    }
  })
})
