import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileSource, memorySource, type ByteSource } from '../../../src/stream/byte-source.js'
import { startStreamServer, type StreamServer } from '../../../src/stream/http-server.js'

interface Reply { status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }

function get (url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

const video = randomBytes(1_000_003)
const notes = Buffer.from('hello, stream\n')
let server: StreamServer | undefined
let dir: string | undefined
afterEach(async () => {
  await server?.close(); server = undefined
  if (dir !== undefined) await rm(dir, { recursive: true, force: true }); dir = undefined
})

const sources: Array<[string, () => Promise<ByteSource>]> = [
  ['memory', async () => memorySource([{ path: 'film/a movie.mp4', bytes: video }, { path: 'notes.txt', bytes: notes }])],
  ['file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bitswarm-stream-'))
    await writeFile(join(dir, 'v'), video); await writeFile(join(dir, 'n'), notes)
    return fileSource([{ path: 'film/a movie.mp4', size: video.length, diskPath: join(dir, 'v') }, { path: 'notes.txt', size: notes.length, diskPath: join(dir, 'n') }])
  }]
]

describe.each(sources)('stream server over a %s source', (_name, make) => {
  const size = video.length
  it.each([
    ['start', 'bytes=0-999', 0, 999],
    ['middle', 'bytes=500000-600000', 500000, 600000],
    ['end', `bytes=${size - 10}-${size - 1}`, size - 10, size - 1],
    ['open', 'bytes=999000-', 999000, size - 1],
    ['suffix', 'bytes=-500', size - 500, size - 1],
    ['overlapping (coalesced)', 'bytes=0-99,50-199', 0, 199],
    ['past the end (clamped)', `bytes=${size - 5}-${size + 100}`, size - 5, size - 1]
  ])('a range at the %s is byte-exact', async (_where, range, start, end) => {
    server = await startStreamServer(await make(), { chunkBytes: 64 * 1024 })
    const r = await get(server.urlOf(0), { Range: range })
    expect(r.status).toBe(206)
    expect(r.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`)
    expect(r.headers['accept-ranges']).toBe('bytes')
    expect(r.headers['content-type']).toBe('video/mp4')
    expect(Number(r.headers['content-length'])).toBe(end - start + 1)
    expect(r.body.equals(video.subarray(start, end + 1))).toBe(true)
  })

  it('serves the whole file with 200, HEAD without a body, 416 beyond the end, an index and 404', async () => {
    server = await startStreamServer(await make())
    const whole = await get(server.urlOf(0))
    expect(whole.status).toBe(200)
    expect(whole.body.equals(video)).toBe(true)
    const head = await get(server.urlOf(1), {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(notes.length))
    expect(head.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(head.body.length).toBe(0)
    const beyond = await get(server.urlOf(1), { Range: 'bytes=100-200' })
    expect(beyond.status).toBe(416)
    expect(beyond.headers['content-range']).toBe(`bytes */${notes.length}`)
    const index = JSON.parse((await get(server.url + '/')).body.toString()) as Array<{ path: string, size: number, url: string }>
    expect(index).toEqual([{ path: 'film/a movie.mp4', size, url: '/film/a%20movie.mp4' }, { path: 'notes.txt', size: notes.length, url: '/notes.txt' }])
    expect((await get(server.url + '/nothing')).status).toBe(404)
  })

  it('serves concurrent readers byte-exact', async () => {
    server = await startStreamServer(await make(), { chunkBytes: 16 * 1024 })
    const ranges = [[0, 300000], [250000, 999999], [700000, size - 1], [1, 1]] as const
    const replies = await Promise.all(ranges.map(async ([s, e]) => await get(server!.urlOf(0), { Range: `bytes=${s}-${e}` })))
    replies.forEach((r, i) => expect(r.body.equals(video.subarray(ranges[i]![0], ranges[i]![1] + 1))).toBe(true))
  })
})

describe('stream server waiting for bytes', () => {
  it('answers 504 with a text body when the bytes do not come', async () => {
    const source: ByteSource = { files: [{ path: 'slow.mkv', size: 100 }], read: async () => await new Promise<Buffer>(() => {}) }
    server = await startStreamServer(source, { readTimeoutMs: 50 })
    const r = await get(server.urlOf(0), { Range: 'bytes=0-9' })
    expect(r.status).toBe(504)
    expect(r.body.toString()).toMatch(/did not arrive in time/)
  })

  it('a client that disconnects mid-response aborts the pending read', async () => {
    let served = 0
    let aborted!: () => void
    const sawAbort = new Promise<void>(resolve => { aborted = resolve })
    const source: ByteSource = {
      files: [{ path: 'live.webm', size: 10_000_000 }],
      read: async (_i, offset, length, signal) => {
        if (served++ === 0) return Buffer.alloc(length, offset % 256)
        return await new Promise<Buffer>((_resolve, reject) => {
          signal.addEventListener('abort', () => { aborted(); reject(new Error('aborted')) }, { once: true })
        })
      }
    }
    server = await startStreamServer(source, { chunkBytes: 1024 })
    // the first chunk arrives, then the client leaves while the server waits for the second
    const req = request(server.urlOf(0), res => { res.once('data', () => req.destroy()) })
    req.on('error', () => {})
    req.end()
    await sawAbort
    expect(served).toBe(2)
  })
})
