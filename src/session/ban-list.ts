// The node's memory of peers that sent bad data, by public key: strikes follow a key across
// reconnects and shares, and a key with BAN_STRIKES strikes is refused for the life of the
// node. One list per node, shared by its sessions; pure (the node applies the ban).

import { BAN_STRIKES, MAX_BANNED_PEERS } from '../constants.js'

export interface Strike {
  /** Strikes this key has now. */
  strikes: number
  /** This strike banned it. */
  banned: boolean
}

export class BanList {
  readonly strikesToBan: number
  private readonly strikes = new Map<string, number>()
  /** Insertion order = ban order: past MAX_BANNED_PEERS the oldest ban lapses first. */
  private readonly banned = new Set<string>()
  private readonly listeners = new Set<(id: string) => void>()
  private readonly maxBanned: number

  constructor (strikesToBan = BAN_STRIKES, maxBanned = MAX_BANNED_PEERS) {
    this.strikesToBan = strikesToBan
    this.maxBanned = maxBanned
  }

  get size (): number { return this.banned.size }

  isBanned (id: string): boolean { return this.banned.has(id) }

  strikesOf (id: string): number { return this.strikes.get(id) ?? 0 }

  /** One attributed failure against `id`; bans it at strikesToBan. */
  strike (id: string): Strike {
    if (this.banned.has(id)) return { strikes: this.strikesOf(id), banned: false }
    const strikes = this.strikesOf(id) + 1
    this.strikes.delete(id) // re-inserted last: the map forgets the longest-quiet key first
    this.strikes.set(id, strikes)
    if (this.strikes.size > this.maxBanned) this.strikes.delete(this.strikes.keys().next().value!)
    if (strikes < this.strikesToBan) return { strikes, banned: false }
    this.ban(id)
    return { strikes, banned: true }
  }

  ban (id: string): void {
    if (this.banned.has(id)) return
    this.banned.add(id)
    if (this.banned.size > this.maxBanned) this.banned.delete(this.banned.values().next().value!)
    for (const listener of [...this.listeners]) listener(id)
  }

  /** Calls `listener` with every key banned from now on; returns the unsubscribe. */
  onBanned (listener: (id: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
