// The baseline of the wan benchmark: test/bench/raw-peer.ts's bare hyperswarm stream, run
// inside a network namespace (`ip netns exec`). It binds no particular address (each namespace
// has one interface), and every side stands for a public host: its DHT runs with
// `firewalled: false, ephemeral: false` (network-emulation.md: a firewalled default on a
// routed topology gets no data). Bootstraps to the same bootstrap node as bitswarm.
//
//   wan-raw-peer serve <file> <bootstrap> <topic>   streams the file to every connection
//   wan-raw-peer fetch <bytes> <bootstrap> <topic>  counts bytes until <bytes> arrived
//
// Each prints one JSON line: `ready` once announced (serve), `done` once complete (fetch).

import DHT from 'hyperdht'
import Hyperswarm, { type SecretStream } from 'hyperswarm'
import { joinAsClient, streamFile } from './raw-stream.js'

const [mode, target, bootstrap, topicHex] = process.argv.slice(2)
if ((mode !== 'serve' && mode !== 'fetch') || target === undefined || bootstrap === undefined || topicHex === undefined) {
  process.stderr.write('usage: wan-raw-peer serve|fetch <file|bytes> <host:port> <topic hex>\n')
  process.exit(2)
}
const GIVE_UP_MS = 120_000

const dht = new DHT({ bootstrap: [bootstrap], firewalled: false, ephemeral: false })
const swarm = new Hyperswarm({ dht })
await dht.fullyBootstrapped()
const topic = Buffer.from(topicHex, 'hex')
const giveUp = setTimeout(() => { process.stderr.write('wan-raw-peer: timed out\n'); process.exit(1) }, GIVE_UP_MS)
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
      void swarm.destroy().then(() => process.exit(0))
    })
  })
  await joinAsClient(swarm, topic)
}
