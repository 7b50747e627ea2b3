// Notices when a download has peers but no source: every connected peer's pieces are
// known and none of them has a piece we lack (the seeder left before the swarm held every
// piece). Without this the download would sit silently at a percentage.

import { NO_SOURCE_NOTICE_MS } from '../constants.js'
import type { Peer } from './peer.js'

export class SourceWatch {
  private since: number | null = null
  private told = false

  /** The warning to give once the download has been without a source for
   *  NO_SOURCE_NOTICE_MS, once per such stretch (a peer with missing pieces ends it); null
   *  otherwise. */
  check (downloading: boolean, peers: Map<string, Peer>, missing: number, now: number): { code: 'ERR_NO_SOURCE', message: string } | null {
    if (!downloading || hasSource(peers.values())) {
      this.since = null
      this.told = false
      return null
    }
    this.since ??= now
    if (this.told || now - this.since < NO_SOURCE_NOTICE_MS) return null
    this.told = true
    const connected = `${peers.size} ${peers.size === 1 ? 'peer is' : 'peers are'} connected`
    return { code: 'ERR_NO_SOURCE', message: `${connected} but none holds any of the ${missing} missing pieces (the sharer may be gone); still looking for one that does` }
  }

  /** Whether it is without a source right now. */
  get starved (): boolean { return this.since !== null }
}

/** No peer at all counts as "a source may still come": that is the "0 peers" case. */
function hasSource (peers: Iterable<Peer>): boolean {
  let any = false
  for (const peer of peers) {
    any = true
    if (peer.has === null || peer.wanted > 0) return true
  }
  return !any
}
