// WebTorrent's side of the peers benchmark (peers.ts): one process per peer, over TCP on
// loopback only. No tracker, DHT, local discovery, PEX, web seeds, uTP or NAT mapping: the
// harness hands every address over itself (torrent.addPeer), as bitswarm's peers find each
// other through a local DHT.
//
//   webtorrent-peer seed <file> <torrent-out>
//       seeds the file, writes its .torrent to <torrent-out>, prints {"event":"ready","port"}
//   webtorrent-peer get <torrent> <out-dir> <listen-port> <host:port,...>
//       listens on <listen-port> (other downloaders dial it), dials every address given (the
//       seeder and the other downloaders), prints {"event":"done","path"} once every piece is
//       verified, and exits
//
// WebTorrent's own defaults stand otherwise (piece size from create-torrent, `sequential`
// piece selection, 20 cached pieces, 55 connections).

import { writeFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import WebTorrent, { type Torrent } from 'webtorrent'
import { WEBTORRENT_SETTINGS } from './peers-summary.js'

const GIVE_UP_MS = 600_000

const [mode, ...args] = process.argv.slice(2)
const print = (event: Record<string, unknown>): void => { process.stdout.write(JSON.stringify(event) + '\n') }
const fail = (message: string): never => { process.stderr.write(`webtorrent-peer: ${message}\n`); process.exit(1) }

const giveUp = setTimeout(() => fail(`not done within ${GIVE_UP_MS / 1000} s`), GIVE_UP_MS)
giveUp.unref()

if (mode === 'seed' && args.length === 2) {
  const [file, torrentOut] = args as [string, string]
  const client = new WebTorrent({ ...WEBTORRENT_SETTINGS })
  stopOnSignal(client)
  client.on('error', (err: Error) => fail(err.message))
  const torrent = client.seed(file, { announce: [], urlList: [] })
  torrent.on('error', (err: Error) => fail(err.message))
  await Promise.all([onceEvent(torrent, 'ready'), client.listening ? null : onceEvent(client, 'listening')])
  await writeFile(torrentOut, torrent.torrentFile)
  print({ event: 'ready', port: client.torrentPort, pieceLength: torrent.pieceLength, infoHash: torrent.infoHash })
} else if (mode === 'get' && args.length === 4) {
  const [torrentPath, outDir, port, peers] = args as [string, string, string, string]
  const client = new WebTorrent({ ...WEBTORRENT_SETTINGS, torrentPort: Number(port) })
  stopOnSignal(client)
  client.on('error', (err: Error) => fail(err.message))
  const torrent: Torrent = client.add(await readFile(torrentPath), { path: outDir, announce: [] })
  torrent.on('error', (err: Error) => fail(err.message))
  // addPeer needs the info hash; a peer not listening yet is dialled again by WebTorrent (1 s,
  // 5 s, 15 s), and dials us itself once it is up.
  if (torrent.infoHash === undefined) await onceEvent(torrent, 'infoHash')
  for (const addr of peers.split(',').filter((a) => a !== '')) torrent.addPeer(addr)
  await onceEvent(torrent, 'done')
  const file = torrent.files[0]
  if (file === undefined) fail('the torrent has no file')
  print({ event: 'done', path: join(outDir, file!.path), bytes: file!.length })
  client.destroy(() => process.exit(0))
} else {
  fail('usage: webtorrent-peer seed <file> <torrent-out> | get <torrent> <out-dir> <listen-port> <host:port,...>')
}

function onceEvent (emitter: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()))
}

function stopOnSignal (client: WebTorrent): void {
  const stop = (): void => client.destroy(() => process.exit(0))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
