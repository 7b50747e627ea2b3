// `bitswarm stream`: a separate process downloads from a rate-limited seeder and serves the
// file over HTTP while it downloads; range requests at the start, middle and end, a suffix
// range, HEAD and a range past the end are answered byte-exact against the source. Readers that
// hang up mid-body or before the headers leave the process serving as before.

import { readFile } from 'node:fs/promises'
import { get as httpGet, type ClientRequest } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCli, useCliNetwork } from '../helpers/cli.js'
import { writeRandomFile } from '../helpers/files.js'
import { jsonEvents } from '../helpers/json-events.js'

const MiB = 1024 * 1024

/** GETs `range` and hangs up (destroys the socket) once `bytes` of the body are in. */
async function readPartThenHangUp (url: string, range: string, bytes: number): Promise<{ status: number, body: Buffer }> {
  return await new Promise((resolve, reject) => {
    const req: ClientRequest = httpGet(url, { headers: { Range: range } }, (res) => {
      const parts: Buffer[] = []
      let got = 0
      res.on('data', (chunk: Buffer) => {
        parts.push(chunk)
        got += chunk.length
        if (got < bytes) return
        res.removeAllListeners('end')
        req.destroy()
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) })
      })
      res.on('error', () => {}) // the hang-up's own "aborted"
      res.once('end', () => reject(new Error(`the whole body (${got} bytes) arrived before ${bytes}`)))
    })
    req.on('error', (err) => { if (!req.destroyed) reject(err) })
  })
}

describe('bitswarm stream (separate processes)', () => {
  const network = useCliNetwork()
  const net = network.net

  it('serves ranges of a file still downloading, byte-exact, with HEAD and 416', async () => {
    const source = join(network.dir.path, 'clip.mp4')
    await writeRandomFile(source, 12 * MiB + 777)
    const bytes = await readFile(source)
    const share = startCli(['share', source, '--quiet', '--upload-limit', '2M', ...net()])
    const stream = startCli(['stream', await share.nextLine(), '-o', join(network.dir.path, 'out'), '--json', ...net()])
    try {
      let url = ''
      while (url === '') {
        const event = JSON.parse(await stream.nextLine()) as { event: string, fileUrl?: string, file?: string }
        if (event.event === 'stream') {
          expect(event.file).toBe('clip.mp4')
          url = event.fileUrl!
        }
      }
      const range = async (header: string): Promise<{ status: number, body: Buffer, headers: Headers }> => {
        const res = await fetch(url, { headers: { Range: header } })
        return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers }
      }
      const middle = await range('bytes=6000000-6099999')
      expect(middle.status).toBe(206)
      expect(middle.headers.get('content-range')).toBe(`bytes 6000000-6099999/${bytes.length}`)
      expect(middle.body.equals(bytes.subarray(6000000, 6100000))).toBe(true)
      const suffix = await range('bytes=-500')
      expect(suffix.body.equals(bytes.subarray(bytes.length - 500))).toBe(true)
      const start = await range('bytes=0-1023')
      expect(start.body.equals(bytes.subarray(0, 1024))).toBe(true)
      const [a, b] = await Promise.all([range('bytes=100-300000'), range('bytes=200000-400000')])
      expect(a.body.equals(bytes.subarray(100, 300001))).toBe(true)
      expect(b.body.equals(bytes.subarray(200000, 400001))).toBe(true)
      const head = await fetch(url, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers.get('content-length')).toBe(String(bytes.length))
      expect(head.headers.get('content-type')).toBe('video/mp4')
      expect(head.headers.get('accept-ranges')).toBe('bytes')
      expect((await range(`bytes=${bytes.length}-`)).status).toBe(416)
      // And the whole file, read in order as it arrives.
      const whole = await fetch(url)
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true)
    } finally {
      stream.kill('SIGTERM')
      share.kill('SIGTERM')
      await stream.exit
      await share.exit
    }
  })

  it('goes on serving after readers hang up mid-body and before the headers', async () => {
    const source = join(network.dir.path, 'long.mkv')
    await writeRandomFile(source, 16 * MiB + 4321)
    const bytes = await readFile(source)
    const share = startCli(['share', source, '--quiet', '--upload-limit', '2M', ...net()])
    const stream = startCli(['stream', await share.nextLine(), '-o', join(network.dir.path, 'out-long'), '--json', ...net()])
    const events = jsonEvents(stream)
    try {
      const { event: served } = await events.next((e) => e.event === 'stream', 'the stream event')
      const url = served.fileUrl as string
      const isReader = (kind: string, position: number) => (e: { event: string, [k: string]: unknown }) => e.event === 'reader' && e.kind === kind && e.position === position

      // Mid-body: 1 MiB of a 12 MiB range read, then the socket destroyed.
      const start = 1_000_003
      const part = await readPartThenHangUp(url, `bytes=${start}-${start + 12 * MiB}`, MiB)
      expect(part.status).toBe(206)
      expect(part.body.equals(bytes.subarray(start, start + part.body.length))).toBe(true)
      const { event: hungUp } = await events.next(isReader('open', start), 'the reader opening')
      const { event: closed } = await events.next((e) => e.event === 'reader' && e.kind === 'close' && e.id === hungUp.id, 'the reader closing after its hang-up')
      expect(closed.position as number).toBeGreaterThanOrEqual(start)

      // Before the headers: a range far ahead, left as soon as the server reads for it.
      const far = 15 * MiB + 17
      const waiting = httpGet(url, { headers: { Range: `bytes=${far}-` } }, () => {})
      waiting.on('error', () => {})
      const { event: farOpen } = await events.next(isReader('open', far), 'the far reader opening')
      waiting.destroy()
      await events.next((e) => e.event === 'reader' && e.kind === 'close' && e.id === farOpen.id, 'the far reader closing')

      // Still healthy: the ranges just left, and one across them, byte-exact.
      for (const [a, b] of [[start, start + 3 * MiB], [far, bytes.length - 1], [0, 2 * MiB]] as const) {
        const res = await fetch(url, { headers: { Range: `bytes=${a}-${b}` } })
        expect(res.status).toBe(206)
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes.subarray(a, b + 1))).toBe(true)
      }
      expect(stream.child.exitCode).toBe(null)
      // Every reader, the two that hung up included, closes: none holds a window any more.
      const opened = events.all.filter((e) => e.event === 'reader' && e.kind === 'open')
      expect(opened.length).toBe(5)
      for (const { id } of opened) await events.next((e) => e.event === 'reader' && e.kind === 'close' && e.id === id, `reader ${String(id)} closing`)
    } finally {
      stream.kill('SIGTERM')
      share.kill('SIGTERM')
      await stream.exit
      await share.exit
    }
  })
})
