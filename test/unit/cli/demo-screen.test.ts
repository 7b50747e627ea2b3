import { describe, expect, it } from 'vitest'
import { renderDemoScreen, renderWhoGaveWhom, seederShare, type DemoNodeView } from '../../../src/cli/demo-screen.js'
import { createViewState, reduce } from '../../../src/cli/view/state.js'
import { visibleWidth } from '../../../src/cli/view/text.js'

const content = { infoHash: 'ab'.repeat(32), name: 'demo.bin', totalBytes: 64 * 16384, pieceCount: 64, pieceSize: 16384 }
const stats = (have: number, uploaded: number, downloaded: number) => ({
  have, pieceCount: 64, totalBytes: content.totalBytes, downloaded, uploaded, downloadRate: 1000, uploadRate: 2000, peers: 2, hashFailures: 0, wasted: 0, partial: [have], selected: null, readers: []
})

function node (name: string, id: string, role: 'get' | 'share', have: number, uploaded: number): DemoNodeView {
  const state = createViewState(role, 'bitswarm://x', 0)
  reduce(state, { type: 'metadata', data: content })
  for (let piece = 0; piece < have; piece++) reduce(state, { type: 'piece-verified', data: { piece, from: null } })
  reduce(state, { type: 'stats', data: stats(have, uploaded, have * 16384) })
  return { name, id, state }
}

const nodes = [node('seeder', 's'.repeat(64), 'share', 64, 300_000), node('d1', '1'.repeat(64), 'get', 32, 100_000), node('d2', '2'.repeat(64), 'get', 8, 0)]
const facts = { peers: 2, fileBytes: content.totalBytes, seederUpload: 512 * 1024, downloaderUpload: 256 * 1024, startedAt: 0 }

describe('demo screen', () => {
  it.each([40, 80, 200])('fits %i columns and shows every node with its share of pieces', (width) => {
    const lines = renderDemoScreen(nodes, facts, 4_000, width, false)
    for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(width)
    expect(lines.find((l) => l.startsWith('d1'))).toMatch(/50%/)
    expect(lines.find((l) => l.startsWith('d2'))).toMatch(/12%/)
    // Cut at the edge on a narrow terminal, whole on a wide one.
    expect(lines.at(-1)).toMatch(width >= 80 ? /the seeder sent 75% of all bytes uploaded$/ : /^4\.0s elapsed; the seeder sent 75%/)
  })

  it('counts the seeder\'s share of uploads', () => {
    expect(seederShare(nodes)).toBe('75%')
  })

  it('tells who gave whom from each node\'s peer statistics', () => {
    const peer = { downloaded: 0, uploaded: 0, downloadRate: 0, uploadRate: 0, piecesReceived: 0, piecesSent: 0, choked: false, choking: false, interested: false, remoteInterested: false, have: 0, seed: false, requests: 0, inflight: 0, rtt: 0, connection: 'direct' as const }
    reduce(nodes[2]!.state, { type: 'peer-stats', data: [{ ...peer, id: 's'.repeat(64), downloaded: 65536, seed: true }, { ...peer, id: '1'.repeat(64), downloaded: 65536 }] })
    const row = renderWhoGaveWhom(nodes, new Map([['d2', 3.5]])).find((l) => l.startsWith('d2'))!
    expect(row).toMatch(/3\.5s/)
    expect(row.trim().split(/\s+/).slice(-3)).toEqual(['64K', '64K', '·'])
  })
})
