// A HyperDHT testnet on 127.0.0.1 and bitswarm nodes attached to it. Every node binds to
// loopback: on a machine with another interface, a DHT on its default host advertises
// that address and connections never reach the server side.

import createTestnet, { type Testnet } from 'hyperdht/testnet.js'
import { afterEach, beforeEach } from 'vitest'
import { BitswarmNode, type NodeOptions } from '../../src/node.js'
import { tempDir, type TempDir } from './files.js'

/** Fast, jitter-free reconnects so tests never wait on the default 1 s / 5 s backoffs. */
export const TEST_BACKOFFS = [100, 200, 300, 400]

export interface TestSwarm {
  testnet: Testnet
  createNode: (opts?: NodeOptions) => BitswarmNode
  destroy: () => Promise<void>
}

export async function createTestSwarm (): Promise<TestSwarm> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const nodes: BitswarmNode[] = []
  return {
    testnet,
    createNode (opts: NodeOptions = {}) {
      const node = new BitswarmNode({ bootstrap: testnet.bootstrap, host: '127.0.0.1', firewalled: false, backoffs: TEST_BACKOFFS, ...opts })
      nodes.push(node)
      return node
    },
    async destroy () {
      await Promise.all(nodes.map(async (n) => await n.close()))
      await testnet.destroy()
    }
  }
}

/** A fresh testnet and temporary folder for each test of a describe block, torn down after. */
export function useTestSwarm (): { readonly swarm: TestSwarm, readonly dir: TempDir } {
  let swarm: TestSwarm | null = null
  let dir: TempDir | null = null
  beforeEach(async () => {
    swarm = await createTestSwarm()
    dir = await tempDir()
  })
  afterEach(async () => {
    await swarm?.destroy()
    await dir?.remove()
  })
  return { get swarm () { return swarm! }, get dir () { return dir! } }
}
