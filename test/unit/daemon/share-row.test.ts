import { describe, expect, it } from 'vitest'
import { Metadata } from '../../../src/metadata/metadata.js'
import type { ShareEntry } from '../../../src/daemon/registry.js'
import { shareRow } from '../../../src/daemon/share-row.js'
import type { Session } from '../../../src/session/session.js'
import { stats } from '../cli/fixtures.js'

const ID = 'ab'.repeat(32)
const entry = (fields: Partial<ShareEntry> = {}): ShareEntry =>
  ({ id: ID, link: `bitswarm://${ID}?dn=album`, kind: 'seed', path: '/data/album', paused: false, addedAt: 1, ...fields })
const META = Metadata.fromInfo({ name: 'album', pieceSize: 16384, files: [{ path: ['a.bin'], length: 40_000 }], pieceHashes: Buffer.alloc(96, 7) })

function running (status: Session['status']): Pick<Session, 'meta' | 'status' | 'stats'> {
  return { meta: META, status, stats: () => stats({ totalBytes: 40_000, have: 2, pieceCount: 3, downloadRate: 1000.4, uploadRate: 99.6, peers: 2 }) }
}

describe('shareRow', () => {
  it('a running share: its session\'s live figures, rates rounded, and the bytes hashed for its path', () => {
    expect(shareRow(entry(), running('seeding'), new Map([['/data/album', 40_000]]))).toEqual({
      id: ID, name: 'album', kind: 'seed', path: '/data/album', size: 40_000, have: 2, pieces: 3, downloadRate: 1000, uploadRate: 100, peers: 2, state: 'seeding', hashedBytes: 40_000
    })
  })

  it('a stopped share: what the registry remembers; a finished one reads as whole', () => {
    expect(shareRow(entry({ name: 'album', size: 40_000 }), null, new Map())).toMatchObject({ name: 'album', size: 40_000, have: 0, pieces: 0, peers: 0, state: 'stopped', hashedBytes: 0 })
    expect(shareRow(entry({ finished: true, paused: true }), null, new Map())).toMatchObject({ name: null, size: 0, have: 1, pieces: 1, state: 'finished' })
    expect(shareRow(entry({ paused: true }), null, new Map()).state).toBe('paused')
  })

  it('counts hashed bytes for seeds only (a download is fetched, not hashed)', () => {
    const hashed = new Map([['/data/album', 40_000]])
    expect(shareRow(entry({ kind: 'download', path: '/data/album' }), running('downloading'), hashed)).toMatchObject({ hashedBytes: 0, state: 'downloading' })
    expect(shareRow(entry({ path: '/data/x/../album' }), null, hashed).hashedBytes).toBe(40_000) // by its resolved path
  })
})
