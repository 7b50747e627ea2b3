// The process-level object (libtorrent's "session"): owns one HyperDHT and one Hyperswarm,
// joins each share's discovery topic, and hands every connection to the sessions.

import type Hyperswarm from 'hyperswarm'
import type { PeerDiscovery, SecretStream } from 'hyperswarm'
import { MAX_PEERS, PROGRESS_INTERVAL_MS } from './constants.js'
import { type BitswarmError, bootstrapUnreachable, closed } from './errors.js'
import { metadataWithin, METADATA_ONLY_STORAGE } from './metadata-only.js'
import { cacheDownload } from './metadata/cache-download.js'
import { parseLink } from './metadata/link.js'
import type { Metadata } from './metadata/metadata.js'
import { createMetadata } from './metadata/create.js'
import { defaultCacheDir, MetadataCache } from './metadata/metadata-cache.js'
import { throttleProgress } from './piece-hashing.js'
import { BanList } from './session/ban-list.js'
import { Session, type StorageProvider, type TransferLimits } from './session/session.js'
import { downloadStorage, shareStorage } from './session/storage-providers.js'
import { TokenBucket } from './token-bucket.js'
import { TypedEmitter } from './typed-emitter.js'
import { formatAddress } from './network/bootstrap-address.js'
import { createNodeSwarm } from './network/node-swarm.js'
import { PeerDialer } from './network/peer-dialer.js'
import { natKind, type NatKind, probeReachability } from './network/reachability.js'
import { keepLookingForPeers } from './network/lookup-refresh.js'
import { foundUnderTopic, joinTopic } from './network/topic-join.js'
import { chooseRelay, findRelays, relayCandidates, RelayService } from './network/relay.js'
import { connectionRoute, routeFacts } from './network/route.js'
import type { SelectionRules } from './selection/file-selection.js'
import { WireChannel } from './wire/channel.js'
import { HANDSHAKE_FLAGS } from './wire/handshake.js'
import type { GetOptions, NodeEvents, NodeOptions, ShareOptions } from './node-options.js'

export type { GetOptions, LookupReport, NodeEvents, NodeOptions, ShareOptions } from './node-options.js'

export class BitswarmNode extends TypedEmitter<NodeEvents> {
  readonly swarm: Hyperswarm
  private readonly opts: NodeOptions
  private readonly byInfoHash = new Map<string, Session>()
  private readonly discoveries = new Map<string, PeerDiscovery>()
  private readonly refreshTimers = new Set<NodeJS.Timeout>()
  private readonly limits: TransferLimits
  private readonly dialer: PeerDialer
  private readonly cache: MetadataCache | null
  /** Peers that sent corrupt data, by public key: refused for the life of the node. */
  readonly bans = new BanList()
  /** Links whose metadata was refused (it hashes to the info hash, so it can never change). */
  private readonly refusedMetadata = new Map<string, BitswarmError>()
  /** Inbound connection handshakes seen (hyperswarm asks its firewall about each). */
  private inboundAttempts = 0
  private relay: RelayService | null = null
  /** Relays of the private network (run by `bitswarm bootstrap`), for when no peer relays. */
  private networkRelays: Buffer[] = []
  private opening: Promise<void> | null = null
  private bootstrapping: Promise<void> | null = null
  private closing: Promise<void> | null = null

  constructor (opts: NodeOptions = {}) {
    super()
    this.opts = opts
    this.swarm = createNodeSwarm(opts, {
      firewall: (key, payload) => {
        if (payload !== null) this.inboundAttempts++ // null: one of our own dials
        return this.bans.isBanned(key.toString('hex'))
      },
      relayThrough: (force) => chooseRelay(force, this.nat, this.relayCandidates())
    })
    this.swarm.on('connection', (conn: SecretStream) => this.onConnection(conn))
    // A ban ends the peer's connection at once, whichever share it was caught on.
    this.bans.onBanned((id) => {
      for (const conn of this.swarm.connections) if (conn.remotePublicKey.toString('hex') === id) conn.destroy()
    })
    this.dialer = new PeerDialer(this.swarm, () => this.swarm.connections.size < (opts.maxPeers ?? MAX_PEERS))
    this.limits = {
      upload: new TokenBucket({ rate: opts.uploadLimit ?? 0 }),
      download: new TokenBucket({ rate: opts.downloadLimit ?? 0 })
    }
    this.cache = opts.cacheDir === false ? null : new MetadataCache(opts.cacheDir ?? defaultCacheDir(), opts.cacheLimits)
  }

  get publicKey (): Buffer { return this.swarm.keyPair.publicKey }

  /** What the DHT has found out about this node's reachability. */
  get nat (): NatKind { return natKind(this.swarm.dht) }

  /** Peers dialled because another peer told us of them (peer exchange). */
  get exchangeDials (): number { return this.dialer.dialled }

  /** Connections relayed through this node right now. */
  get relayedConnections (): number { return this.relay?.active ?? 0 }

  /** Bootstraps the DHT and finds out whether this node is reachable; fails with
   *  ERR_BOOTSTRAP_UNREACHABLE when no bootstrap node answers. */
  ready (): Promise<void> {
    this.opening ??= this.open()
    return this.opening
  }

  /** The DHT is bootstrapped: lookups may start (the reachability check may still run). */
  private bootstrapped (): Promise<void> {
    this.bootstrapping ??= this.bootstrap()
    return this.bootstrapping
  }

  /** Hashes a file or folder and seeds it. */
  async share (path: string, opts: ShareOptions = {}): Promise<Session> {
    const hashing = throttleProgress((progress) => this.emit('hashing', { path, ...progress }), PROGRESS_INTERVAL_MS)
    const meta = await createMetadata(path, {
      ...(opts.pieceSize !== undefined ? { pieceSize: opts.pieceSize } : {}),
      cache: this.cache,
      onSkipped: (entries) => this.emit('skipped', { path, entries }),
      onProgress: (hashedBytes, totalBytes, progress) => {
        opts.onHashProgress?.(hashedBytes, totalBytes)
        hashing(progress)
      }
    })
    return await this.addSession(meta.infoHash, meta, shareStorage(path))
  }

  /** Fetches a share known by its link (or info hash) into `outDir`. */
  async get (link: string | Buffer, opts: GetOptions): Promise<Session> {
    const infoHash = typeof link === 'string' ? parseLink(link).infoHash : link
    // A completed download is cached as if hashed here: sharing its files later is instant.
    const onComplete = async (path: string, meta: Metadata): Promise<void> => { if (this.cache !== null) await cacheDownload(this.cache, path, meta) }
    const storage = downloadStorage(opts.outDir, opts.force === true, onComplete, opts.naming)
    return await this.addSession(infoHash, undefined, storage, { ...(opts.selection !== undefined ? { selection: opts.selection } : {}) })
  }

  /** The metadata of a share known by its link, fetched from peers (the files it holds, their
   *  sizes) without downloading or announcing anything; rejects with ERR_TIMEOUT after
   *  `timeoutMs`. */
  async fetchMetadata (link: string | Buffer, { timeoutMs }: { timeoutMs: number }): Promise<Metadata> {
    const infoHash = typeof link === 'string' ? parseLink(link).infoHash : link
    // A share this node already has (seeded or fetched) answers from its own session.
    const session = this.byInfoHash.get(infoHash.toString('hex')) ?? await this.addSession(infoHash, undefined, METADATA_ONLY_STORAGE, { metadataOnly: true })
    try {
      return await metadataWithin(session, timeoutMs)
    } finally {
      if (session.metadataOnly) await this.remove(infoHash)
    }
  }

  /** The shares this node seeds or fetches. */
  sessions (): Session[] { return [...this.byInfoHash.values()] }

  /** Stops a share: its announcement and lookups end, its channels close (the connections
   *  stay for other shares), its files are closed. False when the node has no such share. */
  async remove (infoHash: Buffer | string): Promise<boolean> {
    const key = typeof infoHash === 'string' ? infoHash.toLowerCase() : infoHash.toString('hex')
    const session = this.byInfoHash.get(key)
    if (session === undefined) return false
    this.byInfoHash.delete(key)
    const discovery = this.discoveries.get(key)
    this.discoveries.delete(key)
    await Promise.all([session.close('removed'), discovery?.destroy().catch(() => {})])
    return true
  }

  close (): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async bootstrap (): Promise<void> {
    // Pings run alongside bootstrapping so an unreachable network fails in seconds.
    const reachable = this.pingBootstrap()
    await this.swarm.dht.fullyBootstrapped()
    if ((await reachable) === false) throw bootstrapUnreachable(this.opts.bootstrap!.map(formatAddress).join(', '))
  }

  private async open (): Promise<void> {
    const dht = this.swarm.dht
    await this.bootstrapped()
    if (this.opts.firewalled === undefined) await probeReachability(dht)
    if (this.nat === 'open' && this.opts.relay !== false) this.relay = new RelayService(dht)
    // Only on a private network: on the public DHT anyone could announce as a relay.
    if (this.nat !== 'open' && this.opts.bootstrap !== undefined) {
      void findRelays(dht).then((keys) => { this.networkRelays = keys }, () => {})
    }
    this.emit('ready', { publicKey: this.publicKey.toString('hex'), nat: this.nat, relay: this.relay !== null })
  }

  private async addSession (infoHash: Buffer, meta: Metadata | undefined, storage: StorageProvider, { metadataOnly = false, selection }: { metadataOnly?: boolean, selection?: SelectionRules } = {}): Promise<Session> {
    if (this.closing !== null) throw closed('the node')
    // A downloader looks for peers as soon as the DHT is bootstrapped; what it announces (and
    // a seeder's announcement) waits for the reachability check. Looking early costs nothing
    // when the seeder is reachable, and behind a NAT the DHT says firewalled from the start.
    const lookupFirst = meta === undefined
    if (lookupFirst) await this.bootstrapped()
    else await this.ready()
    const ready = this.ready()
    const key = infoHash.toString('hex')
    const refused = this.refusedMetadata.get(key)
    if (refused !== undefined) throw refused
    const existing = this.byInfoHash.get(key)
    if (existing !== undefined) return existing
    const session = new Session({
      infoHash,
      storage,
      limits: this.limits,
      bans: this.bans,
      ...(this.opts.uploadSlots !== undefined ? { uploadSlots: this.opts.uploadSlots } : {}),
      network: {
        flags: () => this.handshakeFlags(),
        routeOf: (peer) => connectionRoute(peer.wire.stream, routeFacts(this.nat === 'open', peer.flags)),
        onPeersLearned: (keys) => this.dialer.dial(keys)
      },
      ...(meta !== undefined ? { metadata: meta } : {}),
      metadataOnly,
      ...(selection !== undefined ? { selection } : {})
    })
    this.byInfoHash.set(key, session)
    session.on('error', (err) => { if (err.code === 'ERR_BAD_METADATA') this.refusedMetadata.set(key, err) })
    // A session closed by its owner (or failed) leaves the node: no announcement of what it
    // no longer serves, and sharing the same content again starts a fresh one.
    session.once('close', () => { if (this.byInfoHash.get(key) === session) void this.remove(key) })
    session.start()
    for (const conn of this.swarm.connections) session.attach(conn)
    const join = joinTopic(this.swarm, session.discoveryKey, metadataOnly ? 'never' : lookupFirst ? ready : null)
    this.discoveries.set(key, join.discovery)
    const announced = (): void => {
      if (this.closing === null) this.emit('announced', { topic: session.discoveryKey.toString('hex'), nat: this.nat, relay: this.relay !== null })
    }
    await join.looked
    if (meta !== undefined) announced() // a seeder's first lookup is its announcement
    else void join.announced.then((ok) => { if (ok) announced() })
    if (this.opts.lookupAgain !== false) {
      keepLookingForPeers(session, join.discovery, { maxPeers: this.opts.maxPeers ?? MAX_PEERS, timers: this.refreshTimers, onAlone: async (attempt) => await this.reportLookup(session, attempt) })
    }
    return session
  }

  /** Says what a lookup that left the session alone found, and whether the network answers. */
  private async reportLookup (session: Session, attempt: number): Promise<void> {
    if (session.peers.size > 0 || this.closing !== null) return
    const { found, banned } = foundUnderTopic(this.swarm.peers.values(), session.discoveryKey, (id) => this.bans.isBanned(id))
    this.emit('lookup', {
      topic: session.discoveryKey.toString('hex'),
      attempt,
      found,
      bootstrapReachable: await this.pingBootstrap(),
      nat: this.nat,
      firewalledFlag: this.opts.firewalled ?? null,
      dhtNodes: this.swarm.dht.toArray().length,
      relays: this.relayCandidates().length,
      inbound: this.inboundAttempts,
      banned
    })
  }

  /** True when any configured bootstrap node answers; null on the public DHT. */
  private async pingBootstrap (): Promise<boolean | null> {
    const nodes = this.opts.bootstrap
    if (nodes === undefined || nodes.length === 0) return null
    const dht = this.swarm.dht
    return await Promise.any(nodes.map(async (node) => await dht.ping(node))).then(() => true, () => false)
  }

  private onConnection (conn: SecretStream): void {
    const peer = conn.remotePublicKey.toString('hex')
    // Without a listener, a reset by the remote would crash the process.
    conn.on('error', () => {})
    if (this.bans.isBanned(peer) || this.swarm.connections.size > (this.opts.maxPeers ?? MAX_PEERS)) {
      conn.destroy() // maxPeers only limits outgoing dials; inbound ones are capped here
      return
    }
    conn.on('close', () => this.emit('disconnection', { peer }))
    this.dialer.onConnection(conn.remotePublicKey)
    this.relay?.accept(conn)
    this.emit('connection', { peer })
    for (const session of this.byInfoHash.values()) session.attach(conn)
    // A share the peer adds (or resumes) later opens its channel on this same connection.
    WireChannel.answerOpens(conn, (discoveryKey) => {
      for (const session of this.byInfoHash.values()) if (session.discoveryKey.equals(discoveryKey)) session.attach(conn)
    })
  }

  private handshakeFlags (): number {
    return (this.nat === 'open' ? HANDSHAKE_FLAGS.reachable : 0) | (this.relay !== null ? HANDSHAKE_FLAGS.relay : 0)
  }

  private relayCandidates (): Buffer[] {
    return relayCandidates([...this.byInfoHash.values()].flatMap((session) => [...session.peers.values()]), this.networkRelays)
  }

  private async shutdown (): Promise<void> {
    for (const timer of this.refreshTimers) clearTimeout(timer)
    this.refreshTimers.clear()
    this.dialer.close()
    await this.relay?.close()
    await Promise.all([...this.byInfoHash.values()].map(async (s) => await s.close('node closing')))
    // Destroying the swarm destroys the DHT we gave it.
    await this.swarm.destroy()
  }
}
