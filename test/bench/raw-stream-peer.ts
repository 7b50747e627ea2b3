// The program behind the raw baselines (raw-peer.ts on loopback, wan-raw-peer.ts in network
// namespaces): a bare hyperswarm stream, configured by the caller's DHT options.
//
//   <name> serve <file> <bootstrap> <topic>   streams the file to every connection
//   <name> fetch <bytes> <bootstrap> <topic> [sha256]  counts bytes until <bytes> arrived
//
// Each prints one JSON line: `ready` once announced (serve), `done` once complete (fetch),
// with the seconds since the first byte arrived (`transferSeconds`); with `sha256`, also the
// SHA-256 of the bytes received (the peers case checks every copy; off by default so the
// other cases' baseline stays as it was).

import { createHash } from 'node:crypto'
import DHT, { type DHTOptions } from 'hyperdht'
import Hyperswarm, { type SecretStream } from 'hyperswarm'
import { joinAsClient, streamFile } from './raw-stream.js'

const GIVE_UP_MS = 120_000

export async function runRawPeer (name: string, dhtOptions: DHTOptions): Promise<void> {
  const [mode, target, bootstrap, topicHex, check] = process.argv.slice(2)
  if ((mode !== 'serve' && mode !== 'fetch') || target === undefined || bootstrap === undefined || topicHex === undefined) {
    process.stderr.write(`usage: ${name} serve|fetch <file|bytes> <host:port> <topic hex> [sha256]\n`)
    process.exit(2)
  }
  const dht = new DHT({ bootstrap: [bootstrap], ...dhtOptions })
  const swarm = new Hyperswarm({ dht })
  await dht.fullyBootstrapped()
  const topic = Buffer.from(topicHex, 'hex')
  const giveUp = setTimeout(() => { process.stderr.write(`${name}: timed out\n`); process.exit(1) }, GIVE_UP_MS)
  giveUp.unref()
  const stop = (): void => { void swarm.destroy().then(() => process.exit(0)) }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  if (mode === 'serve') {
    swarm.on('connection', (conn: SecretStream) => {
      conn.on('error', () => {})
      void streamFile(conn, target)
    })
    await swarm.join(topic, { server: true, client: false }).flushed()
    process.stdout.write(JSON.stringify({ event: 'ready' }) + '\n')
    return
  }
  const expected = Number(target)
  const started = performance.now()
  let received = 0
  let firstByte: number | null = null
  const hash = check === 'sha256' ? createHash('sha256') : null
  swarm.on('connection', (conn: SecretStream) => {
    conn.on('error', () => {})
    conn.on('data', (chunk: Buffer) => {
      if (received >= expected) return // done already; the swarm is being destroyed
      firstByte ??= performance.now()
      received += chunk.byteLength
      hash?.update(chunk)
      if (received < expected) return
      const now = performance.now()
      const sha256 = hash === null ? undefined : hash.digest('hex')
      process.stdout.write(JSON.stringify({ event: 'done', bytes: received, seconds: (now - started) / 1000, transferSeconds: (now - firstByte) / 1000, sha256 }) + '\n')
      stop()
    })
  })
  await joinAsClient(swarm, topic)
}
