// Notices when a download has peers but no source: every connected peer's pieces are
// known and none of them has a piece we lack (the seeder left before the swarm held every
// piece). Without this the download would sit silently at a percentage.

import { NO_SOURCE_NOTICE_MS } from '../constants.js'
import type { Peer } from './peer.js'

export class SourceWatch {
  private since: number | null = null
  private told = false

  /** Whether the download has been without a source for NO_SOURCE_NOTICE_MS; true once per
   *  such stretch (a peer with missing pieces ends it). */
  check (downloading: boolean, peers: Iterable<Peer>, now: number): boolean {
    if (!downloading || hasSource(peers)) {
      this.since = null
      this.told = false
      return false
    }
    this.since ??= now
    if (this.told || now - this.since < NO_SOURCE_NOTICE_MS) return false
    this.told = true
    return true
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
