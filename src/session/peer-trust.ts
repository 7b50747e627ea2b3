// What one session does about peers that send bad data: each attributed failure is a strike
// on the node's ban list (so strikes follow a key across reconnects and shares), the user
// is told who and how often, and a banned peer's connection goes at once. When the only
// peers holding what we lack have lied, the session says so (ERR_ONLY_BAD_PEERS).

import type { BitswarmError } from '../errors.js'
import { BadPeers } from './bad-peers.js'
import type { BanList } from './ban-list.js'
import type { SessionEvents } from './events.js'
import type { Peer } from './peer.js'

export interface PeerTrustHooks {
  peers: () => Map<string, Peer>
  warn: (warning: SessionEvents['warning']) => void
  /** Closes the peer's connection (no further warning). */
  disconnect: (peer: Peer, why: string) => void
  /** Closes it for breaking the protocol, with an ERR_PROTOCOL warning. */
  drop: (peer: Peer, why: string) => void
  /** Whether pieces are still missing (only then does a lack of honest sources matter). */
  downloading: () => boolean
}

export class PeerTrust {
  /** Peers that sent this session bad data, and how much. */
  readonly bad = new BadPeers()
  private readonly bans: BanList
  private readonly hooks: PeerTrustHooks
  private unsubscribe: (() => void) | null = null

  constructor (bans: BanList, hooks: PeerTrustHooks) {
    this.bans = bans
    this.hooks = hooks
  }

  start (): void {
    this.unsubscribe ??= this.bans.onBanned((id) => this.onBanned(id))
  }

  stop (): void {
    this.unsubscribe?.()
    this.unsubscribe = null
  }

  isBanned (id: string): boolean { return this.bans.isBanned(id) }

  /** Each of `ids` sent bad bytes for `piece`: one strike each. */
  strike (ids: readonly string[], piece: number): void {
    for (const id of ids) {
      this.bad.record(id)
      if (this.bans.isBanned(id)) continue // smart-ban naming it late, for a piece sent before the ban
      const { strikes, banned } = this.bans.strike(id)
      if (banned) continue // onBanned tells the user and closes the connection
      this.hooks.warn({
        code: 'ERR_BAD_PIECE',
        message: `peer ${short(id)} sent corrupt data for piece ${piece} (strike ${strikes} of ${this.bans.strikesToBan})`,
        peer: id
      })
    }
  }

  /** A peer sent metadata that does not hash to the info hash: a lie, like a bad piece. */
  onForgedMetadata (peer: Peer, why: string): void {
    this.bad.record(peer.id)
    this.bans.strike(peer.id)
    this.hooks.drop(peer, `sent metadata that is not this link's: ${why}`)
  }

  /** ERR_ONLY_BAD_PEERS when peers lied to us and no connected peer that has not holds a
   *  piece we lack; null otherwise. */
  onlyBadSources (): BitswarmError | null {
    const others = [...this.hooks.peers().values()].filter((p) => !this.bans.isBanned(p.id))
    return this.bad.onlyBadSources(others)
  }

  private onBanned (id: string): void {
    const peer = this.hooks.peers().get(id)
    if (peer === undefined && !this.bad.has(id)) return
    this.bad.markBanned(id)
    const entry = this.bad.list.find((p) => p.id === id)
    const what = entry === undefined ? 'it sent corrupt data to another share' : `${entry.badPieces} ${entry.badPieces === 1 ? 'piece' : 'pieces'} it sent failed their hash`
    this.hooks.warn({ code: 'ERR_PEER_BANNED', message: `banned peer ${short(id)}: ${what}; its key is refused from now on`, peer: id })
    if (peer !== undefined) this.hooks.disconnect(peer, 'banned: it sent corrupt data')
    this.checkSources()
  }

  /** After a ban: if no honest peer left holds what we lack, say so. */
  private checkSources (): void {
    if (!this.hooks.downloading()) return
    const remaining = [...this.hooks.peers().values()].filter((p) => !this.bans.isBanned(p.id))
    const err = this.bad.onlyBadSources(remaining)
    if (err !== null) this.hooks.warn({ code: err.code, message: `${err.message}; still looking for an honest peer` })
  }
}

const short = (id: string): string => id.slice(0, 8)
