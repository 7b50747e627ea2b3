// One session's account of the peers that sent it bad data: how many of their pieces failed
// and whether they are banned. It is what the user is told when a download stalls because
// the only peers with the missing pieces lie.

import { MAX_BANNED_PEERS } from '../constants.js'
import { onlyBadPeers, type BitswarmError } from '../errors.js'
import type { Peer } from './peer.js'

export interface BadPeer {
  id: string
  /** Pieces attributed to it that failed their hash. */
  badPieces: number
  banned: boolean
}

export class BadPeers {
  private readonly byId = new Map<string, BadPeer>()

  get size (): number { return this.byId.size }

  has (id: string): boolean { return this.byId.has(id) }

  get list (): BadPeer[] { return [...this.byId.values()].map((p) => ({ ...p })) }

  /** One more bad piece attributed to `id`. */
  record (id: string): BadPeer {
    let entry = this.byId.get(id)
    if (entry === undefined) {
      entry = { id, badPieces: 0, banned: false }
      this.byId.set(id, entry)
      // Fresh keys cannot grow it without bound: the oldest entry goes first.
      if (this.byId.size > MAX_BANNED_PEERS) this.byId.delete(this.byId.keys().next().value!)
    }
    entry.badPieces++
    return entry
  }

  markBanned (id: string): void {
    const entry = this.byId.get(id)
    if (entry !== undefined) entry.banned = true
  }

  /** "1a2b3c4d (3 bad pieces, banned), …" */
  describe (): string {
    return [...this.byId.values()]
      .map((p) => `${p.id.slice(0, 8)} (${p.badPieces} bad ${p.badPieces === 1 ? 'piece' : 'pieces'}${p.banned ? ', banned' : ''})`)
      .join(', ')
  }

  /** ERR_ONLY_BAD_PEERS when peers lied to us and no other connected peer holds a piece we
   *  lack (or might: its pieces are not known yet); null otherwise. */
  onlyBadSources (peers: Iterable<Peer>): BitswarmError | null {
    if (this.byId.size === 0) return null
    for (const peer of peers) {
      if (!this.byId.has(peer.id) && (peer.has === null || peer.wanted > 0)) return null
    }
    return onlyBadPeers(this.describe())
  }
}
