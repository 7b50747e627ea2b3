// Issue 13: a real video read from the stream URL while it downloads. ffmpeg makes a few
// seconds of video with its index (the `moov` atom) at the end, as a camera or a plain ffmpeg
// run writes it, so a player must read the start, seek to the end and come back; a seeder
// whose upload is limited keeps the download slow. ffprobe must read the right duration
// while less than half of the file is held. Needs ffmpeg: `npm run test:media`.

import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { startCli, useCliNetwork } from '../helpers/cli.js'
import { jsonEvents } from '../helpers/json-events.js'

const run = promisify(execFile)
const MiB = 1024 * 1024

const CLIP_SECONDS = 5
/** Noise on the test pattern and a high bit rate: ~19 MiB that the codec cannot shrink. */
const CLIP_BITRATE = '32M'
/** ~19 s for the whole clip: ffprobe (a second or two) must be done long before half. */
const SEEDER_UPLOAD_LIMIT = '1M'
/** A one-byte read at this offset marks a point in the stream process's event order. */
const MARKER_OFFSET = 12_345

async function tool (name: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    return (await run(name, args, { timeout: timeoutMs, maxBuffer: 16 * MiB })).stdout
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`test:media needs ${name} (Debian: apt-get install ffmpeg)`)
    throw err
  }
}

/** A test pattern with a tone; H.264 when this ffmpeg has libx264, else MPEG-4 part 2. */
async function makeClip (path: string): Promise<string> {
  const encoders = await tool('ffmpeg', ['-hide_banner', '-encoders'], 30_000)
  const h264 = /^\s*V\S*\s+libx264\s/m.test(encoders)
  const video = h264 ? ['-c:v', 'libx264', '-preset', 'ultrafast'] : ['-c:v', 'mpeg4']
  await tool('ffmpeg', [
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=640x360:rate=25',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(CLIP_SECONDS), '-vf', 'noise=alls=40:allf=t',
    ...video, '-b:v', CLIP_BITRATE, '-maxrate', CLIP_BITRATE, '-bufsize', '8M', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', path // no `-movflags +faststart`: the index stays at the end
  ], 120_000)
  return h264 ? 'libx264' : 'mpeg4'
}

/** The top-level boxes of an MP4 file, in order. */
function topLevelBoxes (bytes: Buffer): Array<{ type: string, start: number, size: number }> {
  const boxes: Array<{ type: string, start: number, size: number }> = []
  for (let at = 0; at + 8 <= bytes.length;) {
    let size = bytes.readUInt32BE(at)
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8))
    if (size === 0) size = bytes.length - at
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, size })
    at += size
  }
  return boxes
}

describe('ffprobe reads a video from the stream URL (separate processes)', () => {
  const network = useCliNetwork()
  let clip = ''
  let bytes = Buffer.alloc(0)

  beforeAll(async () => {
    clip = join(network.dir.path, 'clip.mp4')
    const encoder = await makeClip(clip)
    bytes = await readFile(clip)
    const boxes = topLevelBoxes(bytes)
    const types = boxes.map((b) => b.type)
    const moov = boxes.find((b) => b.type === 'moov')!
    // The index after the media data, in the last 1 % of the file: the probe has to seek.
    expect(types.indexOf('moov'), `boxes ${types.join(' ')}`).toBeGreaterThan(types.indexOf('mdat'))
    expect(moov.start).toBeGreaterThan(bytes.length * 0.99)
    expect(bytes.length, `a ${encoder} clip`).toBeGreaterThan(12 * MiB)
  }, 120_000)

  it('gets the duration while less than half is held, from a seeder limited to 1 MB/s', async () => {
    const net = network.net
    const share = startCli(['share', clip, '--quiet', '--upload-limit', SEEDER_UPLOAD_LIMIT, ...net()])
    const stream = startCli(['stream', await share.nextLine(), '-o', join(network.dir.path, 'out'), '--json', ...net()])
    const events = jsonEvents(stream)
    try {
      const { event: served } = await events.next((e) => e.event === 'stream', 'the stream event')
      expect(served.file).toBe('clip.mp4')
      const url = served.fileUrl as string

      const started = Date.now()
      const probed = await tool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', url], 60_000)
      const probeMs = Date.now() - started
      const duration = Number(probed.trim())
      expect(Math.abs(duration - CLIP_SECONDS), `ffprobe said ${probed.trim()}`).toBeLessThan(0.1)

      // What was held when ffprobe finished: the first `progress` event written after a read
      // made once it had exited holds at least as much (pieces are never lost while streaming).
      const marker = await fetch(url, { headers: { Range: `bytes=${MARKER_OFFSET}-${MARKER_OFFSET}` } })
      expect(Buffer.from(await marker.arrayBuffer()).equals(bytes.subarray(MARKER_OFFSET, MARKER_OFFSET + 1))).toBe(true)
      const { index: after } = await events.next((e) => e.event === 'reader' && e.kind === 'open' && e.position === MARKER_OFFSET, 'the marker read')
      const { event: progress } = await events.next((e) => e.event === 'progress', 'a progress event after the probe', { from: after })
      const held = (progress.have as number) / (progress.pieces as number)
      console.log(`ffprobe read ${duration} s from a ${(bytes.length / MiB).toFixed(1)} MiB clip in ${probeMs} ms, with at most ${(held * 100).toFixed(1)} % held (${String(progress.have)}/${String(progress.pieces)} pieces)`)
      expect(held).toBeLessThan(0.5)

      // The probe sought to the index at the end: some reader read there.
      const moovAt = topLevelBoxes(bytes).find((b) => b.type === 'moov')!.start
      expect(events.all.some((e) => e.event === 'reader' && (e.position as number) >= moovAt)).toBe(true)
    } finally {
      stream.kill('SIGTERM')
      share.kill('SIGTERM')
      await stream.exit
      await share.exit
    }
  })
})
