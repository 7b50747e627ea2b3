// The program behind the raw baselines (raw-peer.ts on loopback, wan-raw-peer.ts in network
// namespaces): a bare hyperswarm stream, configured by the caller's DHT options.
//
//   <name> serve <file> <bootstrap> <topic>   streams the file to every connection
//   <name> fetch <bytes> <bootstrap> <topic>  counts bytes until <bytes> arrived
//
// Each prints one JSON line: `ready` once announced (serve), `done` once complete (fetch),
// with the seconds since the first byte arrived (`transferSeconds`).

import DHT, { type DHTOptions } from 'hyperdht'
import Hyperswarm, { type SecretStream } from 'hyperswarm'
import { joinAsClient, streamFile } from './raw-stream.js'

const GIVE_UP_MS = 120_000

export async function runRawPeer (name: string, dhtOptions: DHTOptions): Promise<void> {
  const [mode, target, bootstrap, topicHex] = process.argv.slice(2)
  if ((mode !== 'serve' && mode !== 'fetch') || target === undefined || bootstrap === undefined || topicHex === undefined) {
    process.stderr.write(`usage: ${name} serve|fetch <file|bytes> <host:port> <topic hex>\n`)
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
  swarm.on('connection', (conn: SecretStream) => {
    conn.on('error', () => {})
    conn.on('data', (chunk: Buffer) => {
      firstByte ??= performance.now()
      received += chunk.byteLength
      if (received < expected) return
      const now = performance.now()
      process.stdout.write(JSON.stringify({ event: 'done', bytes: received, seconds: (now - started) / 1000, transferSeconds: (now - firstByte) / 1000 }) + '\n')
      stop()
    })
  })
  await joinAsClient(swarm, topic)
}
