// What the node asks of its DHT and swarm: the firewall override, and the peers a lookup found.

import { describe, expect, it } from 'vitest'
import { firewallOverride } from '../../../src/network/node-swarm.js'
import { foundUnderTopic } from '../../../src/network/topic-join.js'

describe('firewallOverride', () => {
  it('leaves the DHT to find out by default; forced firewalled also stops it probing and changing its mind', () => {
    expect(firewallOverride(undefined)).toEqual({})
    expect(firewallOverride(true)).toEqual({ firewalled: true, quickFirewall: false, ephemeral: true })
    expect(firewallOverride(false)).toEqual({ firewalled: false })
  })
})

describe('foundUnderTopic', () => {
  const topic = Buffer.alloc(32, 0xaa)
  const other = Buffer.alloc(32, 0xbb)
  const info = (n: number, topics: Buffer[]): { publicKey: Buffer, topics: Buffer[] } => ({ publicKey: Buffer.alloc(32, n), topics })

  it('counts the peers found under the topic (by value, not identity), and the banned among them', () => {
    const peers = [info(1, [Buffer.from(topic)]), info(2, [other, topic]), info(3, [other]), info(4, []), info(5, [topic])]
    const banned = new Set([Buffer.alloc(32, 2).toString('hex'), Buffer.alloc(32, 3).toString('hex')])
    expect(foundUnderTopic(peers, topic, (id) => banned.has(id))).toEqual({ found: 3, banned: 1 })
    expect(foundUnderTopic([], topic, () => true)).toEqual({ found: 0, banned: 0 })
  })
})
