import { describe, expect, it } from 'vitest'
import { UrgentList } from '../../../src/picker/urgent-list.js'
import { seeded } from '../../helpers/random.js'

describe('UrgentList', () => {
  it('keeps the first inOrder in order and shuffles the imminent and later groups, dropping pieces out of range', () => {
    const list = new UrgentList(seeded(7))
    list.replace([5, 6, -1, 7, 8, 9, 10.5, 11, 12, 13, 99], 20, 6, 2)
    expect(list.pieces).toEqual([5, 6, 7, 8, 9, 11, 12, 13])
    expect(list.inOrder).toBe(2)
    expect([...list.imminent].sort((a, b) => a - b)).toEqual([7, 8, 9, 11])
    expect([...list.later].sort((a, b) => a - b)).toEqual([12, 13])
    expect(list.has(11)).toBe(true)
    expect(list.has(99)).toBe(false)
  })

  it('draws its tie-break order from the random it is given: the same seed, the same order; others differ', () => {
    const orderOf = (seed: number): readonly number[] => {
      const list = new UrgentList(seeded(seed))
      list.replace([...Array(16).keys()], 16, 16, 0)
      return list.imminent
    }
    expect(orderOf(1)).toEqual(orderOf(1))
    expect(new Set([1, 2, 3, 4].map((seed) => orderOf(seed).join(','))).size).toBeGreaterThan(1)
  })

  it('bounds inOrder and imminent by the list: a short list is all in order', () => {
    const list = new UrgentList(seeded(1))
    list.replace([3, 4], 10, 5, 5)
    expect(list.inOrder).toBe(2)
    expect(list.imminent).toEqual([])
    expect(list.later).toEqual([])
    list.replace([], 10, 5, 2)
    expect(list.pieces).toEqual([])
    expect(list.has(3)).toBe(false)
  })
})
