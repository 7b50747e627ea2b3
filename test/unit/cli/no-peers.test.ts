import { describe, expect, it } from 'vitest'
import { explainNoPeers } from '../../../src/cli/no-peers.js'

describe('explainNoPeers', () => {
  it.each([
    [{ attempt: 3, found: 0, bootstrapReachable: false }, /bootstrap node does not answer \(3 lookups\)/],
    [{ attempt: 1, found: 2, bootstrapReachable: true }, /2 found on the DHT but none reachable \(1 lookup\).*firewall or NAT/],
    [{ attempt: 10, found: 0, bootstrapReachable: true }, /nobody announces this link \(10 lookups\); check the link/],
    [{ attempt: 4, found: 0, bootstrapReachable: null }, /nobody announces this link/]
  ])('%o', (report, expected) => {
    expect(explainNoPeers(report)).toMatch(expected)
  })
})
