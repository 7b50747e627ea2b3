// `bitswarm stream`: a separate process downloads from a rate-limited seeder and serves the
// file over HTTP while it downloads; range requests at the start, middle and end, a suffix
// range, HEAD and a range past the end are answered byte-exact against the source.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCli, useCliNetwork } from '../helpers/cli.js'
import { writeRandomFile } from '../helpers/files.js'

const MiB = 1024 * 1024

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
})
