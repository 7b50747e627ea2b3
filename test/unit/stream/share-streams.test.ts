// The daemon's one stream server for several shares: each under its own prefix, byte-exact
// side by side; a share taken away cuts its open responses (their reads aborted, their
// readers released) and answers 503 with the reason, or 404 once gone; a taken port is
// ERR_PORT_IN_USE naming the option. And the pure parts: the prefix split, the file chosen.

import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { memorySource, type ByteSource } from '../../../src/stream/byte-source.js'
import { type ShareStreamServer, splitMounted, startShareStreams } from '../../../src/stream/share-streams.js'
import { fileUrls, streamedFile } from '../../../src/stream/streamed-file.js'

let server: ShareStreamServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

const film = randomBytes(300_001)
const song = randomBytes(70_000)
const notes = Buffer.from('liner notes\n')

async function get (url: string, range?: string): Promise<{ status: number, body: Buffer, text: string }> {
  const res = await fetch(url, range === undefined ? {} : { headers: { Range: range } })
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, body, text: body.toString() }
}

describe('splitMounted', () => {
  it.each([
    ['/', null],
    ['/abc', { key: 'abc', rest: '/' }],
    ['/abc/', { key: 'abc', rest: '/' }],
    ['/abc/film/a%20b.mp4', { key: 'abc', rest: '/film/a%20b.mp4' }],
    ['//x', null]
  ])('%s', (path, split) => expect(splitMounted(path)).toEqual(split))
})

describe('streamedFile and fileUrls', () => {
  const files = [{ path: 'album/notes.txt', size: 9000 }, { path: 'album/a song.mp3', size: 10 }, { path: 'album/big.iso', size: 99999 }]
  it('picks the file asked for, else the largest media file, else the largest', () => {
    expect(streamedFile(files, 'album/big.iso')).toBe(2)
    expect(streamedFile(files, undefined)).toBe(1)
    expect(streamedFile([files[0]!, files[2]!], undefined)).toBe(1)
    expect(() => streamedFile(files, 'album/none.mp4')).toThrow(expect.objectContaining({ code: 'ERR_NO_SUCH_FILE' }) as Error)
  })
  it('gives each file its URL under the base, each segment encoded', () => {
    expect(fileUrls('http://h:1/ab', files.slice(1, 2))).toEqual([{ path: 'album/a song.mp3', size: 10, url: 'http://h:1/ab/album/a%20song.mp3' }])
  })
})

describe('startShareStreams', () => {
  it('serves two shares at once under their own prefixes, byte-exact, with an index of each', async () => {
    server = await startShareStreams()
    const a = server.mount('aaaa1111', memorySource([{ path: 'film.mp4', bytes: film }]))
    const b = server.mount('bbbb2222', memorySource([{ path: 'album/song.mp3', bytes: song }, { path: 'album/notes.txt', bytes: notes }]))
    expect(a).toBe(`${server.url}/aaaa1111`)
    const [middle, whole, txt] = await Promise.all([get(`${a}/film.mp4`, 'bytes=100000-199999'), get(`${b}/album/song.mp3`), get(`${b}/album/notes.txt`)])
    expect(middle.status).toBe(206)
    expect(middle.body.equals(film.subarray(100000, 200000))).toBe(true)
    expect(whole.body.equals(song)).toBe(true)
    expect(txt.text).toBe('liner notes\n')
    expect(JSON.parse((await get(`${b}/`)).text)).toEqual([
      { path: 'album/song.mp3', size: song.length, url: '/bbbb2222/album/song.mp3' },
      { path: 'album/notes.txt', size: notes.length, url: '/bbbb2222/album/notes.txt' }
    ])
    expect(JSON.parse((await get(`${server.url}/`)).text)).toEqual([{ key: 'aaaa1111', url: '/aaaa1111/' }, { key: 'bbbb2222', url: '/bbbb2222/' }])
    expect((await get(`${a}/album/song.mp3`)).status).toBe(404) // another share's file
    expect((await get(`${server.url}/cccc3333/film.mp4`)).status).toBe(404)
  })

  it('a share taken away cuts its open responses, releases their readers and answers 503, then 404 once gone', async () => {
    const left: string[] = []
    let aborted!: () => void
    const sawAbort = new Promise<void>((resolve) => { aborted = resolve })
    let reads = 0
    let waitingRead!: () => void
    const secondRead = new Promise<void>((resolve) => { waitingRead = resolve })
    const waiting: ByteSource = {
      files: [{ path: 'live.webm', size: 1_000_000 }],
      read: async (_i, offset, length, signal) => {
        if (reads++ === 0) return Buffer.alloc(length, offset % 256)
        waitingRead()
        return await new Promise<Buffer>((_resolve, reject) => signal.addEventListener('abort', () => { aborted(); reject(new Error('aborted')) }, { once: true }))
      },
      leave: (reader) => left.push(reader)
    }
    server = await startShareStreams({ chunkBytes: 1024 })
    const base = server.mount('dddd4444', waiting)
    const other = server.mount('eeee5555', memorySource([{ path: 'notes.txt', bytes: notes }]))
    const res = await fetch(`${base}/live.webm`)
    expect(res.status).toBe(200)
    const reading = res.arrayBuffer()
    await secondRead // the response is waiting for bytes that do not come
    server.unmount('dddd4444', 'paused')
    await expect(reading).rejects.toThrow()
    await sawAbort
    expect(left).toHaveLength(1)
    const paused = await get(`${base}/live.webm`)
    expect(paused.status).toBe(503)
    expect(paused.text).toMatch(/share dddd4444 is not served now: paused/)
    expect((await get(`${other}/notes.txt`)).text).toBe('liner notes\n') // the other share is untouched
    server.mount('dddd4444', memorySource([{ path: 'live.webm', bytes: film }]))
    expect((await get(`${base}/live.webm`, 'bytes=0-9')).body.equals(film.subarray(0, 10))).toBe(true)
    server.unmount('dddd4444')
    const gone = await get(`${base}/live.webm`)
    expect(gone.status).toBe(404)
    expect(gone.text).toMatch(/no share dddd4444/)
  })

  it('refuses a taken port with ERR_PORT_IN_USE naming the option', async () => {
    const taken = createServer()
    taken.listen(0, '127.0.0.1')
    await once(taken, 'listening')
    try {
      const port = (taken.address() as AddressInfo).port
      await expect(startShareStreams({ port }, '--stream-port')).rejects.toMatchObject({ code: 'ERR_PORT_IN_USE', message: expect.stringMatching(/--stream-port/) as string })
    } finally {
      taken.close()
    }
  })
})
