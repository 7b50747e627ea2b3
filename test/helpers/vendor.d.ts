// Typings for the packages only the tests import directly.

declare module '@hyperswarm/secret-stream' {
  import type { SecretStream } from 'hyperswarm'
  import type { KeyPair } from 'hyperdht'
  import type { Duplex } from 'node:stream'

  /** The Noise-encrypted stream hyperswarm hands out, usable over any duplex (here an
   *  in-memory pair): `rawStream` is the ciphertext side when none is given. */
  export default class NoiseSecretStream {
    constructor (isInitiator: boolean, rawStream?: Duplex | null, opts?: { keyPair?: KeyPair })
    static keyPair (seed?: Buffer): KeyPair
    readonly rawStream: Duplex
    readonly opened: Promise<boolean>
  }
  export type { SecretStream }
}

declare module 'webtorrent' {
  import type { EventEmitter } from 'node:events'

  /** The parts of WebTorrent 2.x the peers benchmark uses (test/bench/webtorrent-peer.ts). */
  export interface WebTorrentOptions {
    dht?: boolean
    tracker?: boolean
    lsd?: boolean
    utPex?: boolean
    utp?: boolean
    natUpnp?: boolean
    natPmp?: boolean
    webSeeds?: boolean
    torrentPort?: number
  }
  export interface TorrentOptions { path?: string, announce?: string[], urlList?: string[] }
  export interface TorrentFile { readonly path: string, readonly length: number }
  export interface Torrent extends EventEmitter {
    readonly infoHash: string
    readonly torrentFile: Buffer
    readonly pieceLength: number
    readonly files: TorrentFile[]
    readonly numPeers: number
    addPeer (addr: string): boolean
  }
  export default class WebTorrent extends EventEmitter {
    constructor (opts?: WebTorrentOptions)
    static readonly VERSION: string
    readonly listening: boolean
    readonly torrentPort: number
    seed (input: string, opts: TorrentOptions, onseed?: (torrent: Torrent) => void): Torrent
    add (torrentId: Buffer | string, opts: TorrentOptions, ontorrent?: (torrent: Torrent) => void): Torrent
    destroy (cb?: (err?: Error) => void): void
  }
}
