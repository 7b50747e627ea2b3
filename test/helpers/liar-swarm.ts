// A lying peer on a real DHT network, in the test process: it announces a share like any
// seeder and speaks the real protocol over every hyperswarm connection it gets, but the
// bytes it sends are whatever `serve` makes of them (see scripted-seeder.ts). It counts the
// connections each remote key opens, so a test can tell whether it was let back.

import DHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import type { SecretStream } from 'hyperswarm'
import type { MemoryShare } from './memory-share.js'
import { ScriptedPeer } from './scripted-peer.js'
import { serveShare, type ServeOptions } from './scripted-seeder.js'

export interface LiarSwarm {
  /** Its public key (hex), as the others name it. */
  key: string
  /** Channels opened with each remote key (hex). */
  opened: Map<string, number>
  /** Remote keys that asked it for blocks (downloaders). */
  askedBy: Set<string>
  /** Remote keys that opened a channel again after a connection of theirs had closed. */
  cameBack: Set<string>
  /** Every connection it had, as scripted peers (what each remote sent it is recorded). */
  peers: ScriptedPeer[]
  close: () => Promise<void>
}

/** Announces every share of `shares` (a channel for each on every connection), serving each
 *  as `serve` says, or as `serveFor` says per share. */
export async function startLiar (bootstrap: string, shares: MemoryShare | MemoryShare[], serve: ServeOptions, serveFor?: (share: MemoryShare) => ServeOptions): Promise<LiarSwarm> {
  const list = Array.isArray(shares) ? shares : [shares]
  const [host, port] = bootstrap.split(':')
  const dht = new DHT({ bootstrap: [{ host: host!, port: Number(port) }], host: '127.0.0.1', firewalled: false })
  const swarm = new Hyperswarm({ dht })
  const opened = new Map<string, number>()
  const askedBy = new Set<string>()
  const left = new Set<string>()
  const cameBack = new Set<string>()
  const peers: ScriptedPeer[] = []
  swarm.on('connection', (conn: SecretStream) => {
    conn.on('error', () => {})
    const remote = conn.remotePublicKey.toString('hex')
    for (const share of list) {
      const peer = ScriptedPeer.over(conn, { infoHash: share.meta.infoHash })
      peers.push(peer)
      serveShare(peer, share, serveFor?.(share) ?? serve)
      void peer.waitFor('request', () => true, 60_000).then(() => askedBy.add(remote), () => {})
      void peer.opened.then((open) => {
        if (!open) return
        if (left.has(remote)) cameBack.add(remote)
        opened.set(remote, (opened.get(remote) ?? 0) + 1)
        void peer.closed.then(() => left.add(remote))
      })
    }
  })
  await Promise.all(list.map(async (share) => await swarm.join(share.meta.discoveryKey, { server: true, client: true }).flushed()))
  return {
    key: swarm.keyPair.publicKey.toString('hex'),
    opened,
    askedBy,
    cameBack,
    peers,
    close: async () => await swarm.destroy()
  }
}
