// A lying peer on a real network of separate processes: `bitswarm bootstrap`, an honest
// `bitswarm share` and `bitswarm get` as child processes, the liar (real protocol, forged
// bytes) in this process on the same DHT. The download completes byte-identical with the
// liar banned and never let back; with only the liar, `get --timeout` gives up with
// ERR_ONLY_BAD_PEERS and no final file.

import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encode } from '../../src/codec.js'
import { infoCodec } from '../../src/metadata/info.js'
import { discoveryKeyOf, infoHashOf } from '../../src/metadata/info-hash.js'
import { formatLink } from '../../src/metadata/link.js'
import { runCli, startCli, useCliNetwork } from '../helpers/cli.js'
import { sha256File, writeRandomFile } from '../helpers/files.js'
import { startLiar } from '../helpers/liar-swarm.js'
import { memoryShare, type MemoryShare } from '../helpers/memory-share.js'
import { flipByte } from '../helpers/scripted-seeder.js'

const MiB = 1024 * 1024
const PIECE = 512 * 1024

interface JsonEvent { event: string, code?: string, message?: string, peer?: string }

const events = (stdout: string): JsonEvent[] => stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as JsonEvent)

describe('a lying peer among separate processes', () => {
  const network = useCliNetwork()
  const net = network.net

  it('the get completes byte-identical, the liar is banned and not let back, only the liar is blamed', async () => {
    const source = join(network.dir.path, 'data.bin')
    const digest = await writeRandomFile(source, 12 * MiB)
    // The honest seeder is the slower source, so the liar is asked for plenty.
    const share = startCli(['share', source, '--quiet', '--piece-size', '512K', '--upload-limit', '4M', ...net()])
    const link = await share.nextLine()
    const content = memoryShare(await readFile(source), PIECE, 'data.bin')
    const liar = await startLiar(network.address, content, { tamper: (_range, data) => flipByte(data) })
    try {
      const result = await runCli(['get', link, '-o', join(network.dir.path, 'out'), '--json', ...net()])
      expect(result.code, result.stderr).toBe(0)
      const seen = events(result.stdout)
      const done = seen.at(-1) as JsonEvent & { path: string }
      expect(done.event).toBe('done')
      expect(await sha256File(done.path)).toBe(digest)
      const blame = seen.filter((e) => e.event === 'warning' && (e.code === 'ERR_BAD_PIECE' || e.code === 'ERR_PEER_BANNED'))
      expect(blame.map((e) => e.code)).toEqual(['ERR_BAD_PIECE', 'ERR_BAD_PIECE', 'ERR_PEER_BANNED'])
      expect(blame.every((e) => e.peer === liar.key)).toBe(true)
      const [downloader] = [...liar.askedBy]
      expect(downloader).toBeDefined()
      expect(liar.cameBack.has(downloader!)).toBe(false)
    } finally {
      await liar.close()
      share.kill('SIGTERM')
      await share.exit
    }
  })

  it('with only the liar, get --timeout gives up with ERR_ONLY_BAD_PEERS and writes no final file', async () => {
    const content = memoryShare(4 * MiB, PIECE, 'lies.bin')
    const liar = await startLiar(network.address, content, { tamper: (_range, data) => flipByte(data) })
    const out = join(network.dir.path, 'only-liar')
    try {
      const link = formatLink(content.meta.infoHash, content.meta.name)
      const result = await runCli(['get', link, '-o', out, '--timeout', '3', '--json', ...net()])
      expect(result.code).toBe(1)
      const seen = events(result.stdout)
      const error = seen.at(-1)!
      expect(error).toMatchObject({ event: 'error', code: 'ERR_ONLY_BAD_PEERS' })
      expect(error.message).toBe(`the only peers with the missing pieces sent corrupt data: ${liar.key.slice(0, 8)} (3 bad pieces, banned)`)
      expect(seen.filter((e) => e.event === 'warning').map((e) => e.code)).toEqual(['ERR_BAD_PIECE', 'ERR_BAD_PIECE', 'ERR_PEER_BANNED', 'ERR_ONLY_BAD_PEERS'])
      expect(existsSync(join(out, 'lies.bin'))).toBe(false)
    } finally {
      await liar.close()
    }
  })

  it('metadata with a hostile path: get fails with ERR_BAD_METADATA, having asked for it once', async () => {
    const hostile = encode(infoCodec, { name: 'x', pieceSize: 16 * 1024, files: [{ path: ['..', 'escape'], length: 5 }], pieceHashes: Buffer.alloc(32) })
    const infoHash = infoHashOf(hostile)
    // Only what serveShare reads of the metadata: its bytes, hash, topic and piece count.
    const share = { meta: { bytes: hostile, infoHash, discoveryKey: discoveryKeyOf(infoHash), pieceCount: 1 }, content: Buffer.alloc(5) } as unknown as MemoryShare
    const liar = await startLiar(network.address, share, {})
    try {
      const result = await runCli(['get', formatLink(infoHash), '-o', join(network.dir.path, 'hostile'), '--timeout', '10', '--json', ...net()])
      expect(result.code).toBe(1)
      const error = events(result.stdout).at(-1)!
      expect(error).toMatchObject({ event: 'error', code: 'ERR_BAD_METADATA' })
      expect(error.message).toMatch(/^the metadata of this link is refused: .*"\.\."/)
      expect(result.stdout).not.toContain('none reachable')
      expect(liar.peers.flatMap((p) => p.all('metadata-request'))).toEqual([{ index: 0 }])
      expect(existsSync(join(network.dir.path, 'hostile', 'escape'))).toBe(false)
    } finally {
      await liar.close()
    }
  })
})
