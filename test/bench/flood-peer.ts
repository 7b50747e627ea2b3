// The flooder of the "flood" benchmark, in a process of its own so that its CPU is not the
// bench's: one DHT node on 127.0.0.1 that connects to the seeder again and again, each time
// under a fresh key (a newcomer every time), speaks the real protocol (ScriptedPeer), asks to
// be served and sends requests at a fixed overall rate until the seeder drops it.
//
//   flood-peer <bootstrap host:port> <link> <piece count> <requests/s> <requests>
//
// JSON lines on standard output: `target` once the seeder is found; `flooding` as the first
// requests go out; `flood` as each connection ends (whether it was unchoked at once, the
// requests it carried, who closed it); `flooded` once <requests> were sent (it floods on at
// the same rate until SIGINT/SIGTERM); `summary` at the end. Bounded: MAX_FLOODS connections
// and GIVE_UP_MS in all.

import { setTimeout as sleep } from 'node:timers/promises'
import DHT, { type KeyPair } from 'hyperdht'
import type { SecretStream } from 'hyperswarm'
import { Bitfield } from '../../src/bitfield.js'
import { BLOCK_BYTES } from '../../src/constants.js'
import { discoveryKeyOf } from '../../src/metadata/info-hash.js'
import { parseLink } from '../../src/metadata/link.js'
import { HANDSHAKE_FLAGS } from '../../src/wire/handshake.js'
import { ScriptedPeer } from '../helpers/scripted-peer.js'

const GIVE_UP_MS = 300_000
const MAX_FLOODS = 20_000
const CONNECT_TIMEOUT_MS = 10_000
const LOOKUPS = 30
const TICK_MS = 50
/** One protomux batch at most: a backlog left by a slow reconnect goes out in slices. */
const MAX_BATCH = 20_000

/** hyperdht's connect, which the shared typings (src/vendor.d.ts) leave out. */
type Connect = (publicKey: Buffer, opts: { keyPair: KeyPair }) => SecretStream

const [bootstrap, link, pieceCountArg, rateArg, requestsArg] = process.argv.slice(2)
const pieceCount = Number(pieceCountArg)
const rate = Number(rateArg)
const requests = Number(requestsArg)
if (bootstrap === undefined || link === undefined || !(pieceCount > 0) || !(rate > 0) || !(requests > 0)) {
  process.stderr.write('usage: flood-peer <host:port> <link> <piece count> <requests/s> <requests>\n')
  process.exit(2)
}
const { infoHash } = parseLink(link)
const emit = (event: string, fields: Record<string, unknown> = {}): void => { process.stdout.write(JSON.stringify({ event, ...fields }) + '\n') }

const giveUp = setTimeout(() => { process.stderr.write('flood-peer: gave up\n'); process.exit(1) }, GIVE_UP_MS)
giveUp.unref()
/** Set by a signal: an object, so loops see it change across their awaits. */
const signalled = { stop: false }
const stop = (): void => { signalled.stop = true }
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

const dht = new DHT({ bootstrap: [bootstrap], host: '127.0.0.1', firewalled: false })
const connect: Connect = (publicKey, opts) => (dht as unknown as { connect: Connect }).connect(publicKey, opts)

/** An open connection under a fresh key, or null if it did not open in time. */
async function connectFresh (publicKey: Buffer): Promise<SecretStream | null> {
  const conn = connect(publicKey, { keyPair: DHT.keyPair() })
  conn.on('error', () => {})
  const opened = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS)
    conn.once('open', () => { clearTimeout(timer); resolve(true) })
    conn.once('close', () => { clearTimeout(timer); resolve(false) })
  })
  if (!opened) conn.destroy()
  return opened ? conn : null
}

/** The announcer that answers: a lookup may also list downloaders that have since exited. */
async function findSeeder (): Promise<Buffer> {
  const tried = new Set<string>()
  for (let attempt = 0; attempt < LOOKUPS && !signalled.stop; attempt++) {
    for await (const reply of dht.lookup(discoveryKeyOf(infoHash))) {
      for (const { publicKey } of reply.peers) {
        const hex = publicKey.toString('hex')
        if (tried.has(hex)) continue
        tried.add(hex)
        const conn = await connectFresh(publicKey)
        if (conn === null) continue
        conn.destroy()
        emit('target', { candidates: tried.size })
        return publicKey
      }
    }
    await sleep(1000)
  }
  throw new Error(`no live announcer of the share after ${LOOKUPS} lookups (${tried.size} tried)`)
}

interface Flood { unchoked: boolean, requests: number, closedBySeeder: boolean }

let sent = 0
let started = 0
let floodedAt: number | null = null

/** One connection: asks to be served, then sends what the rate allows until it is dropped. */
async function flood (seeder: Buffer): Promise<Flood | null> {
  const conn = await connectFresh(seeder)
  if (conn === null) return null
  // It says it holds the metadata, so none is pushed to it: the one metadata-data is the reply.
  const peer = ScriptedPeer.over(conn, { infoHash, flags: HANDSHAKE_FLAGS.metadata })
  try {
    if (!await peer.opened) return { unchoked: false, requests: 0, closedBySeeder: true }
    peer.send('bitfield', { bytes: new Bitfield(pieceCount).toBytes() })
    peer.send('interested', null)
    // Answered in order: once the reply is in, an unchoke given at once came before it.
    peer.send('metadata-request', { index: 0 })
    try {
      await peer.waitFor('metadata-data', () => true, CONNECT_TIMEOUT_MS)
    } catch {
      return { unchoked: false, requests: 0, closedBySeeder: conn.destroyed }
    }
    const unchoked = peer.all('unchoke').length > 0
    let mine = 0
    while (!conn.destroyed && !signalled.stop) {
      const due = Math.min(MAX_BATCH, Math.floor(rate * (performance.now() - started) / 1000) - sent)
      if (due > 0) {
        peer.batch(() => {
          for (let i = 0; i < due; i++) peer.send('request', { piece: (sent + i) % pieceCount, offset: 0, length: BLOCK_BYTES })
        })
        if (sent === 0) emit('flooding', { unchoked })
        sent += due
        mine += due
        if (floodedAt === null && sent >= requests) {
          floodedAt = performance.now()
          emit('flooded', { requests: sent, seconds: (floodedAt - started) / 1000 })
        }
      }
      await sleep(TICK_MS)
    }
    return { unchoked, requests: mine, closedBySeeder: conn.destroyed }
  } finally {
    conn.destroy()
    await peer.closed
  }
}

await dht.fullyBootstrapped()
const seeder = await findSeeder()
started = performance.now()
const floods: Flood[] = []
let failed = 0
while (!signalled.stop && floods.length + failed < MAX_FLOODS) {
  const result = await flood(seeder)
  if (result === null) {
    failed++
    continue
  }
  floods.push(result)
  emit('flood', { n: floods.length, ...result })
}
const seconds = (performance.now() - started) / 1000
emit('summary', {
  floods: floods.length,
  failedConnects: failed,
  unchokedAtOnce: floods.filter((f) => f.unchoked).length,
  closedBySeeder: floods.filter((f) => f.closedBySeeder).length,
  requests: sent,
  seconds,
  requestsPerSecond: sent / seconds
})
await dht.destroy()
process.exit(0)
