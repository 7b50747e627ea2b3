// Two ends of one encrypted connection in memory, as hyperswarm would hand them out but
// without any DHT: real Noise handshakes and secret-stream framing, over a pipe that cuts
// the ciphertext into packet-sized chunks as UDX does (so a frame arrives in pieces).

import NoiseSecretStream from '@hyperswarm/secret-stream'
import type { KeyPair } from 'hyperdht'
import type { SecretStream } from 'hyperswarm'
import type { Duplex } from 'node:stream'

/** Ciphertext chunk size on the in-memory wire. */
const CHUNK_BYTES = 64 * 1024

export interface StreamPairOptions {
  /** Identities of the two ends (fresh random keys by default). */
  initiator?: KeyPair
  responder?: KeyPair
}

/** Resolves once both handshakes are done: `remotePublicKey` and `handshakeHash` are set. */
export async function streamPair (opts: StreamPairOptions = {}): Promise<[SecretStream, SecretStream]> {
  const a = new NoiseSecretStream(true, null, opts.initiator !== undefined ? { keyPair: opts.initiator } : {})
  const b = new NoiseSecretStream(false, null, opts.responder !== undefined ? { keyPair: opts.responder } : {})
  forward(a.rawStream, b.rawStream)
  forward(b.rawStream, a.rawStream)
  const ends = [a, b] as unknown as [SecretStream, SecretStream]
  // As the node does for every connection: a reset must never become an uncaught error.
  for (const end of ends) end.on('error', () => {})
  await Promise.all([a.opened, b.opened])
  return ends
}

export const keyPair = (seed?: Buffer): KeyPair => NoiseSecretStream.keyPair(seed)

/** Copies `from`'s output into `to` in chunks of at most CHUNK_BYTES, with backpressure;
 *  closing either side closes the other. */
function forward (from: Duplex, to: Duplex): void {
  from.on('data', (chunk: Buffer) => {
    let ok = true
    for (let i = 0; i < chunk.byteLength; i += CHUNK_BYTES) ok = to.write(chunk.subarray(i, i + CHUNK_BYTES)) && ok
    if (!ok) {
      from.pause()
      to.once('drain', () => from.resume())
    }
  })
  from.on('end', () => to.end())
  from.on('error', () => {})
  from.on('close', () => to.destroy())
}
