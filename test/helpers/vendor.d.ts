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
