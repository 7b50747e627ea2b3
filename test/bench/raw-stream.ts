// What the two raw baselines (raw-peer.ts on loopback, wan-raw-peer.ts in namespaces) share:
// the serving side streams a file into each connection, honouring backpressure; the fetching
// side joins the topic as a client and looks it up again until it is connected.

import { createReadStream } from 'node:fs'
import type Hyperswarm from 'hyperswarm'
import type { SecretStream } from 'hyperswarm'

const LOOKUP_REFRESH_MS = 1000

/** Writes the file into the connection in 64 KiB chunks, waiting for 'drain' when it is full. */
export async function streamFile (conn: SecretStream, path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) {
    if (conn.destroyed) return
    if (!conn.write(chunk as Buffer)) await drained(conn)
  }
}

/** Joins `topic` as a client. A lookup made before the server's announce landed is not
 *  retried by hyperswarm for minutes, so it looks again every second while unconnected. */
export async function joinAsClient (swarm: Hyperswarm, topic: Buffer): Promise<void> {
  const discovery = swarm.join(topic, { server: false, client: true })
  await discovery.flushed()
  const refresher = setInterval(() => { if (swarm.connections.size === 0) void discovery.refresh() }, LOOKUP_REFRESH_MS)
  refresher.unref()
}

function drained (conn: SecretStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { conn.off('drain', done); conn.off('close', done); resolve() }
    conn.once('drain', done)
    conn.once('close', done)
  })
}
