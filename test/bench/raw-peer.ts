// The baseline of the transfer benchmark: a bare hyperswarm stream between two processes,
// configured as bitswarm's nodes are (same bootstrap, bound to 127.0.0.1, not firewalled).
//
//   raw-peer serve <file> <bootstrap> <topic>   streams the file to every connection
//   raw-peer fetch <bytes> <bootstrap> <topic>  counts bytes until <bytes> arrived
//
// Each prints one JSON line: `ready` once announced (serve), `done` once complete (fetch).

import DHT from 'hyperdht'
import Hyperswarm, { type SecretStream } from 'hyperswarm'
import { joinAsClient, streamFile } from './raw-stream.js'

const [mode, target, bootstrap, topicHex] = process.argv.slice(2)
if ((mode !== 'serve' && mode !== 'fetch') || target === undefined || bootstrap === undefined || topicHex === undefined) {
  process.stderr.write('usage: raw-peer serve|fetch <file|bytes> <host:port> <topic hex>\n')
  process.exit(2)
}
const GIVE_UP_MS = 120_000

const dht = new DHT({ bootstrap: [bootstrap], host: '127.0.0.1', firewalled: false })
const swarm = new Hyperswarm({ dht })
await dht.fullyBootstrapped()
const topic = Buffer.from(topicHex, 'hex')
const giveUp = setTimeout(() => { process.stderr.write('raw-peer: timed out\n'); process.exit(1) }, GIVE_UP_MS)
giveUp.unref()

if (mode === 'serve') {
  swarm.on('connection', (conn: SecretStream) => {
    conn.on('error', () => {})
    void streamFile(conn, target)
  })
  await swarm.join(topic, { server: true, client: false }).flushed()
  process.stdout.write(JSON.stringify({ event: 'ready' }) + '\n')
  process.once('SIGINT', () => { void swarm.destroy() })
  process.once('SIGTERM', () => { void swarm.destroy() })
} else {
  const expected = Number(target)
  const started = performance.now()
  let received = 0
  swarm.on('connection', (conn: SecretStream) => {
    conn.on('error', () => {})
    conn.on('data', (chunk: Buffer) => {
      received += chunk.byteLength
      if (received < expected) return
      process.stdout.write(JSON.stringify({ event: 'done', bytes: received, seconds: (performance.now() - started) / 1000 }) + '\n')
      void swarm.destroy()
    })
  })
  await joinAsClient(swarm, topic)
}
