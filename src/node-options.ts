// What a BitswarmNode is given and what it tells: its options, the options of share() and
// get(), and its typed events (the CLI and the tests observe a node through these).

import type { SkippedEntry } from './metadata/create.js'
import type { HashProgress } from './piece-hashing.js'
import type { BootstrapAddress } from './network/bootstrap-address.js'
import type { NatKind } from './network/reachability.js'
import type { SelectionRules } from './selection/file-selection.js'
import type { NamingRules } from './storage/portable-names.js'

export interface NodeOptions {
  /** DHT bootstrap nodes; the public HyperDHT when absent. */
  bootstrap?: BootstrapAddress[]
  /** Address the DHT binds to (tests and private networks: 127.0.0.1). */
  host?: string
  /** Whether this node is behind a NAT/firewall. By default the DHT finds out (other DHT
   *  nodes try to reach it); true or false overrides what it would find. */
  firewalled?: boolean
  /** Whether a reachable node relays connections for peers that cannot reach each other
   *  (default true; the relayed bytes stay end-to-end encrypted). UDX forwards them natively,
   *  so they are not counted under `uploadLimit`. The node still uses relays itself. */
  relay?: boolean
  /** Connections kept at once, inbound and outbound (MAX_PEERS). */
  maxPeers?: number
  /** Bytes per second this node sends / receives in all, across every share; 0 = no limit. */
  uploadLimit?: number
  downloadLimit?: number
  /** Peers served at once per share, plus one optimistic slot (UPLOAD_SLOTS); 0 serves nobody. */
  uploadSlots?: number
  /** Folder of the metadata cache: a share whose files are unchanged since it was last
   *  hashed starts at once. Default: BITSWARM_CACHE_DIR, else $XDG_CACHE_HOME/bitswarm,
   *  else ~/.cache/bitswarm; false: no cache. */
  cacheDir?: string | false
  /** Bounds of that cache (METADATA_CACHE_MAX_ENTRIES, METADATA_CACHE_MAX_BYTES); a daemon
   *  keeps one entry per share it seeds, however many, so it lifts them. */
  cacheLimits?: { maxEntries?: number, maxBytes?: number }
  /** Test knobs: reconnect backoffs of the swarm; `lookupAgain: false` stops the repeated
   *  DHT lookups (so a test sees what peer exchange alone does). */
  backoffs?: number[]
  lookupAgain?: boolean
}

export interface NodeEvents {
  /** The DHT is bootstrapped and the node can join topics; `nat` is what it found out about
   *  its reachability, `relay` whether it relays for others. */
  ready: { publicKey: string, nat: NatKind, relay: boolean }
  connection: { peer: string }
  disconnection: { peer: string }
  /** A session's topic is on the DHT: others can find this node from now on. */
  announced: { topic: string, nat: NatKind, relay: boolean }
  /** share() hashes the content: pieces and bytes done, of all. The first, the last, and
   *  at most one every PROGRESS_INTERVAL_MS between; none when the cache knew the share. */
  hashing: { path: string } & HashProgress
  /** share() left these out of a folder: symbolic links (never followed) and special files. */
  skipped: { path: string, entries: SkippedEntry[] }
  /** A session still has no peer after a lookup: what was tried, for the "0 peers" explanation. */
  lookup: LookupReport
}

export interface LookupReport {
  topic: string
  /** Lookups made so far while the session had no peer. */
  attempt: number
  /** Peers found announcing the topic on the DHT: above zero, they were found but could not
   *  be reached (firewall, NAT); zero, nobody announces this content (wrong link, sharer
   *  not running, or on another network). */
  found: number
  /** Whether a bootstrap node answered a ping just now; null on the public DHT. */
  bootstrapReachable: boolean | null
  /** What the DHT found out about this node, and the user's --firewalled flag (null: none). */
  nat: NatKind
  firewalledFlag: boolean | null
  /** DHT nodes this node knows: a NATed node needs three to hole-punch. */
  dhtNodes: number
  /** Connected peers that offer relaying. */
  relays: number
  /** Connection attempts other peers made to this node so far. */
  inbound: number
  /** Of `found`, peers this node banned for sending corrupt data (never dialled again). */
  banned: number
}

export interface ShareOptions {
  pieceSize?: number
  /** Called after each piece is hashed (not at all when the metadata cache knew the share). */
  onHashProgress?: (hashedBytes: number, totalBytes: number) => void
}

export interface GetOptions {
  outDir: string
  force?: boolean
  /** Only some files (`only` / `exclude` globs, see selection/glob.ts), or files by priority
   *  (`priorities`: path in the share → skip / normal / high). Every file when absent. */
  selection?: SelectionRules
  /** Name rules to write under, over what this machine and file system say (tests, or a
   *  folder that will be copied to Windows): see storage/on-disk-names.ts. */
  naming?: Partial<NamingRules>
}
