// Smart-ban names the peer that sent a bad block, never an honest co-sender.

import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { SmartBan } from '../../../src/session/smart-ban.js'

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()
const good = [digest('block 0'), digest('block 1'), digest('block 2')]

describe('SmartBan', () => {
  it('blames the only sender of a failed piece at once, remembering nothing', () => {
    const ban = new SmartBan()
    expect(ban.onFailed(7, good.map((d, i) => ({ sender: 'liar', digest: i === 1 ? digest('forged') : d })))).toEqual(['liar'])
    expect(ban.remembered).toBe(0)
  })

  it('with several senders blames nobody until the good copy names the one whose block differed', () => {
    const ban = new SmartBan()
    const blamed = ban.onFailed(3, [
      { sender: 'honest', digest: good[0]! },
      { sender: 'liar', digest: digest('forged') },
      { sender: 'honest', digest: good[2]! }
    ])
    expect(blamed).toEqual([])
    expect(ban.remembers(3)).toBe(true)
    expect(ban.onVerified(3, good)).toEqual(['liar'])
    expect(ban.remembers(3)).toBe(false)
  })

  it('blames a liar once per piece however many blocks or failures it spoiled', () => {
    const ban = new SmartBan()
    const copy = [
      { sender: 'liar', digest: digest('x') },
      { sender: 'liar', digest: digest('y') },
      { sender: 'other', digest: good[2]! }
    ]
    ban.onFailed(1, copy)
    ban.onFailed(1, [{ sender: 'liar', digest: digest('z') }, { sender: 'other', digest: good[1]! }, { sender: 'liar', digest: digest('w') }])
    expect(ban.onVerified(1, good)).toEqual(['liar'])
  })

  it('names nobody for a piece it never saw fail', () => {
    expect(new SmartBan().onVerified(0, good)).toEqual([])
  })

  it('keeps at most maxPieces failed pieces, forgetting the oldest', () => {
    const ban = new SmartBan(2)
    const copy = [{ sender: 'a', digest: digest('x') }, { sender: 'b', digest: good[1]! }, { sender: 'a', digest: good[2]! }]
    for (const piece of [1, 2, 3]) ban.onFailed(piece, copy)
    expect(ban.remembered).toBe(2)
    expect(ban.remembers(1)).toBe(false)
    expect(ban.onVerified(3, good)).toEqual(['a'])
  })
})
