// @ts-check
// Small network probes run inside namespaces by the harness tests (plain JavaScript, so it
// runs with `node` without a build). Each prints JSON lines on standard output.
//
//   probe.mjs udp-echo <port>                          replies to every datagram with the
//                                                      sender's address as it saw it
//   probe.mjs udp-ping <host:port,...> <count> <ms> [local port]
//                                                      from ONE local socket, sends <count>
//                                                      probes to each target, <ms> apart;
//                                                      prints RTTs, losses and the address
//                                                      each target saw (NAT port mapping)
//   probe.mjs tcp-sink <port>                          counts bytes of each connection
//   probe.mjs tcp-source <host:port> <seconds>         sends as fast as it can for <seconds>
//
// Every mode stops by itself (udp-ping/tcp-source) or on SIGTERM (servers).

import { createSocket } from 'node:dgram'
import { createConnection, createServer } from 'node:net'

const [mode, ...args] = process.argv.slice(2)
/** @param {Record<string, unknown>} fields */
const emit = (fields) => process.stdout.write(JSON.stringify(fields) + '\n')
/** @param {string} text */
const hostPort = (text) => {
  const i = text.lastIndexOf(':')
  return { host: text.slice(0, i), port: Number(text.slice(i + 1)) }
}
process.once('SIGTERM', () => process.exit(0))

if (mode === 'udp-echo') {
  const socket = createSocket('udp4')
  socket.on('message', (msg, rinfo) => {
    const reply = Buffer.concat([msg.subarray(0, 8), Buffer.from(`${rinfo.address}:${rinfo.port}`)])
    socket.send(reply, rinfo.port, rinfo.address)
  })
  socket.bind(Number(args[0]), () => emit({ event: 'ready', port: socket.address().port }))
} else if (mode === 'udp-ping') {
  const targets = String(args[0]).split(',').map(hostPort)
  const count = Number(args[1])
  const interval = Number(args[2])
  const socket = createSocket('udp4')
  /** @type {Map<number, number>} */
  const sentAt = new Map()
  /** @type {number[][]} */
  const rtts = targets.map(() => [])
  /** @type {Set<string>[]} */
  const observed = targets.map(() => new Set())
  socket.on('message', (msg) => {
    const seq = msg.readUInt32BE(0)
    const target = msg.readUInt32BE(4)
    const at = sentAt.get(seq * 1000 + target)
    if (at === undefined) return
    sentAt.delete(seq * 1000 + target)
    rtts[target]?.push(performance.now() - at)
    observed[target]?.add(msg.subarray(8).toString())
  })
  socket.bind(Number(args[3] ?? 0), () => {
    let seq = 0
    const timer = setInterval(() => {
      targets.forEach((t, i) => {
        const probe = Buffer.alloc(8)
        probe.writeUInt32BE(seq, 0)
        probe.writeUInt32BE(i, 4)
        sentAt.set(seq * 1000 + i, performance.now())
        socket.send(probe, t.port, t.host)
      })
      if (++seq < count) return
      clearInterval(timer)
      setTimeout(() => {
        emit({
          event: 'done',
          localPort: socket.address().port,
          targets: targets.map((t, i) => ({ target: `${t.host}:${t.port}`, sent: count, received: rtts[i]?.length ?? 0, rtts: rtts[i], observed: [...(observed[i] ?? [])] }))
        })
        socket.close()
      }, 1500)
    }, interval)
  })
} else if (mode === 'tcp-sink') {
  const server = createServer((conn) => {
    let bytes = 0
    let first = 0
    conn.on('data', (chunk) => {
      if (bytes === 0) first = performance.now()
      bytes += chunk.byteLength
    })
    conn.on('error', () => {})
    conn.on('close', () => emit({ event: 'received', bytes, seconds: (performance.now() - first) / 1000 }))
  })
  server.listen(Number(args[0]), () => {
    const address = server.address()
    emit({ event: 'ready', port: typeof address === 'object' && address !== null ? address.port : null })
  })
} else if (mode === 'tcp-source') {
  const { host, port } = hostPort(String(args[0]))
  const seconds = Number(args[1])
  const block = Buffer.alloc(64 * 1024)
  const conn = createConnection({ host, port }, () => {
    const until = performance.now() + seconds * 1000
    const pump = () => {
      while (performance.now() < until) if (!conn.write(block)) { conn.once('drain', pump); return }
      conn.end(() => emit({ event: 'done' }))
    }
    pump()
  })
  conn.on('error', (err) => { emit({ event: 'error', message: err.message }); process.exit(1) })
} else {
  process.stderr.write('usage: probe.mjs udp-echo|udp-ping|tcp-sink|tcp-source …\n')
  process.exit(2)
}
