// Strikes follow a key and ban it at the limit; the list stays bounded.

import { describe, expect, it } from 'vitest'
import { BAN_STRIKES } from '../../../src/constants.js'
import { BanList } from '../../../src/session/ban-list.js'

describe('BanList', () => {
  it(`bans a key at its ${BAN_STRIKES}th strike and tells every listener once`, () => {
    const bans = new BanList()
    const told: string[] = []
    bans.onBanned((id) => told.push(id))
    for (let i = 1; i < BAN_STRIKES; i++) expect(bans.strike('k')).toEqual({ strikes: i, banned: false })
    expect(bans.isBanned('k')).toBe(false)
    expect(bans.strike('k')).toEqual({ strikes: BAN_STRIKES, banned: true })
    expect(bans.isBanned('k')).toBe(true)
    expect(bans.strike('k').banned).toBe(false)
    expect(told).toEqual(['k'])
    expect(bans.isBanned('other')).toBe(false)
  })

  it('stops telling a listener that unsubscribed', () => {
    const bans = new BanList(1)
    const told: string[] = []
    const off = bans.onBanned((id) => told.push(id))
    bans.strike('a')
    off()
    bans.strike('b')
    expect(told).toEqual(['a'])
  })

  it('remembers at most maxBanned keys: fresh keys cannot grow it without bound', () => {
    const bans = new BanList(1, 100)
    for (let i = 0; i < 1000; i++) bans.strike(`key${i}`)
    expect(bans.size).toBe(100)
    expect(bans.isBanned('key999')).toBe(true)
    expect(bans.isBanned('key0')).toBe(false)
  })
})
