// Narrow typings for the parts of the hyperswarm family that bitswarm uses.
// None of these packages ship TypeScript declarations.

declare module 'hyperdht' {
  import type { EventEmitter } from 'node:events'

  export interface DHTOptions {
    bootstrap?: Array<string | { host: string, port: number }>
    host?: string
    port?: number
    firewalled?: boolean
    ephemeral?: boolean
    /** dht-rpc: probe reachability during bootstrap (default true). */
    quickFirewall?: boolean
  }

  export interface KeyPair { publicKey: Buffer, secretKey: Buffer }

  export default class DHT extends EventEmitter {
    constructor (opts?: DHTOptions)
    static bootstrapper (port: number, host: string, opts?: DHTOptions): DHT
    static keyPair (seed?: Buffer): KeyPair
    readonly destroyed: boolean
    readonly bootstrapped: boolean
    /** Whether the node is behind a NAT or firewall (dht-rpc's verdict, updated as it learns). */
    readonly firewalled: boolean
    /** This node's address as other DHT nodes see it; null until enough of them agree. */
    readonly host: string | null
    readonly port: number
    /** Behind a NAT that picks a new port per destination. */
    readonly randomized: boolean
    createRawStream (opts?: Record<string, unknown>): unknown
    /** Peers announced under a topic, reply by reply. */
    lookup (topic: Buffer): AsyncIterable<{ peers: Array<{ publicKey: Buffer }> }> & { destroy (): void }
    ready (): Promise<void>
    fullyBootstrapped (): Promise<void>
    address (): { host: string, port: number }
    ping (node: { host: string, port: number }): Promise<unknown>
    toArray (): Array<{ host: string, port: number }>
    destroy (): Promise<void>
  }
}

declare module 'hyperdht/testnet.js' {
  import type DHT from 'hyperdht'
  import type { DHTOptions } from 'hyperdht'
  export interface Testnet {
    nodes: DHT[]
    bootstrap: Array<{ host: string, port: number }>
    createNode (opts?: DHTOptions): DHT
    destroy (): Promise<void>
  }
  export default function createTestnet (size?: number, opts?: { host?: string, port?: number }): Promise<Testnet>
}

declare module 'hyperswarm' {
  import type { EventEmitter } from 'node:events'
  import type { Duplex } from 'node:stream'
  import type DHT from 'hyperdht'
  import type { KeyPair } from 'hyperdht'

  /** A Noise-encrypted, message-framed connection (@hyperswarm/secret-stream). */
  export interface SecretStream extends Duplex {
    readonly remotePublicKey: Buffer
    readonly publicKey: Buffer
    readonly handshakeHash: Buffer
    readonly isInitiator: boolean
    userData: unknown
    /** The UDX stream underneath; absent on in-memory pairs. */
    readonly rawStream?: UdxStream | null
  }

  /** The parts of a udx-native stream read here. */
  export interface UdxStream {
    /** Smoothed round-trip time, ms. */
    readonly rtt: number
    readonly remoteHost: string | null
    readonly remotePort: number
    /** The UDX socket it runs on, with every stream on that socket. */
    readonly socket?: { readonly streams: Set<UdxStream> } | null
  }

  export interface PeerInfo {
    readonly publicKey: Buffer
    readonly client: boolean
    /** Topics under which we found this peer on the DHT (client side only). */
    readonly topics: Buffer[]
    ban (banned?: boolean): void
    reconnect (enabled: boolean): void
  }

  export interface PeerDiscovery {
    flushed (): Promise<void>
    refresh (opts?: { client?: boolean, server?: boolean }): Promise<void>
    destroy (): Promise<void>
  }

  export interface SwarmOptions {
    dht?: DHT
    keyPair?: KeyPair
    maxPeers?: number
    /** Connection attempts at once (default 3). */
    maxParallel?: number
    /** The relay (a public key) for a connection attempt, or null to connect directly. */
    relayThrough?: (force: boolean) => Buffer | null
    /** true rejects (and bans) the peer; payload is null for our own dials. */
    firewall?: (remotePublicKey: Buffer, payload: unknown) => boolean
    backoffs?: number[]
    jitter?: number
  }

  export default class Hyperswarm extends EventEmitter {
    constructor (opts?: SwarmOptions)
    readonly dht: DHT
    readonly keyPair: KeyPair
    readonly connections: Set<SecretStream>
    readonly connecting: number
    /** Every peer discovered or connected, by public key (hex). */
    readonly peers: Map<string, PeerInfo>
    join (topic: Buffer, opts?: { server?: boolean, client?: boolean }): PeerDiscovery
    /** Connects to a known key, retrying until leavePeer. */
    joinPeer (publicKey: Buffer): void
    leavePeer (publicKey: Buffer): void
    leave (topic: Buffer): Promise<void>
    /** The discovery of a joined topic, null when the node is not in it. */
    status (topic: Buffer): PeerDiscovery | null
    /** Starts the server (a DHT query for the node's own key, then announcements near it);
     *  joining as a server waits for it. Idempotent. */
    listen (): Promise<void>
    flush (): Promise<void>
    destroy (): Promise<void>
    on (event: 'connection', listener: (conn: SecretStream, info: PeerInfo) => void): this
    on (event: string, listener: (...args: unknown[]) => void): this
  }
}

declare module 'protomux' {
  import type { Duplex } from 'node:stream'

  export interface Encoding<T> {
    preencode (state: unknown, value: T): void
    encode (state: unknown, value: T): void
    decode (state: unknown): T
  }

  export interface Message<T> {
    send (value: T): boolean
  }

  export interface Channel {
    readonly opened: boolean
    readonly closed: boolean
    readonly drained: boolean
    readonly handshake: unknown
    addMessage<T> (opts: { encoding: Encoding<T>, onmessage: (value: T) => void | Promise<void> }): Message<T>
    open (handshake?: unknown): void
    close (): void
    cork (): void
    uncork (): void
  }

  export interface ChannelOptions<H> {
    protocol: string
    id?: Buffer | null
    unique?: boolean
    handshake?: Encoding<H>
    onopen?: (handshake: H) => void | Promise<void>
    onclose?: (isRemote: boolean) => void
    ondrain?: () => void
  }

  export default class Protomux {
    static from (stream: Duplex | Protomux): Protomux
    readonly stream: Duplex
    createChannel<H> (opts: ChannelOptions<H>): Channel | null
    pair (opts: { protocol: string, id?: Buffer | null }, notify: (id: Buffer | null) => void): void
    unpair (opts: { protocol: string, id?: Buffer | null }): void
    opened (opts: { protocol: string, id?: Buffer | null }): boolean
  }
}

declare module 'blind-relay' {
  import type { EventEmitter } from 'node:events'
  import type { Duplex } from 'node:stream'

  export interface RelaySession extends EventEmitter {
    readonly closed: boolean
    destroy (err?: Error): void
  }

  export class Server extends EventEmitter {
    constructor (opts: { createStream: (opts: Record<string, unknown>) => unknown })
    readonly stats: { pairings: { matched: number, active: number }, streams: { active: number } }
    accept (stream: Duplex, opts: { id: Buffer }): RelaySession
    close (): Promise<void>
  }
}
