// Joins a share's discovery topic. A node that already holds the content (a seeder) announces
// at once. A downloader looks for peers first and announces itself afterwards: joining as a
// server first waits for hyperswarm's listen() (a DHT query for the node's own key and
// announcements near it: ~250 ms at a 60 ms round trip, measured), and changing a discovery's
// flags destroys its running lookup, so the upgrade waits until the first lookup is done.

import type Hyperswarm from 'hyperswarm'
import type { PeerDiscovery, PeerInfo } from 'hyperswarm'

export interface TopicJoin {
  discovery: PeerDiscovery
  /** The first lookup is done (downloader) or the announcement too (seeder). */
  looked: Promise<void>
  /** The node is announced under the topic; never rejects (a network failure is retried by
   *  hyperswarm's own refreshes). */
  announced: Promise<boolean>
}

/** `announceAfter`: look for peers first, and announce once it resolves (null: at once;
 *  'never': only look, as `bitswarm info` does). */
export function joinTopic (swarm: Hyperswarm, topic: Buffer, announceAfter: Promise<void> | null | 'never'): TopicJoin {
  if (announceAfter === 'never') {
    const discovery = swarm.join(topic, { server: false, client: true })
    return { discovery, looked: discovery.flushed().catch(() => {}), announced: Promise.resolve(false) }
  }
  if (announceAfter === null) {
    const discovery = swarm.join(topic, { server: true, client: true })
    const announced = discovery.flushed().then(() => true, () => false)
    return { discovery, looked: announced.then(() => {}), announced }
  }
  const discovery = swarm.join(topic, { server: false, client: true })
  const looked = discovery.flushed().catch(() => {})
  const announced = Promise.all([looked, announceAfter])
    .then(async () => { await swarm.listen() })
    .then(async () => { await discovery.refresh({ server: true, client: true }) })
    .then(() => true, () => false)
  return { discovery, looked, announced }
}

/** How many peers the lookups found under `topic`, and how many of those are banned. */
export function foundUnderTopic (peers: Iterable<Pick<PeerInfo, 'publicKey' | 'topics'>>, topic: Buffer, isBanned: (id: string) => boolean): { found: number, banned: number } {
  let found = 0
  let banned = 0
  for (const info of peers) {
    if (!info.topics.some((t) => t.equals(topic))) continue
    found++
    if (isBanned(info.publicKey.toString('hex'))) banned++
  }
  return { found, banned }
}
