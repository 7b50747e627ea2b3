// "0 peers", explained: a get that finds nobody says why, and --timeout ends it with one line
// and an outcome that says it timed out (not that it was interrupted).

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli, useCliNetwork } from '../helpers/cli.js'

const NOBODY_SHARES = `bitswarm://${'ab'.repeat(32)}`

describe('get with no peers', () => {
  const network = useCliNetwork()

  it('--timeout gives up with one line naming the likely cause and a non-zero exit; the summary says it timed out', async () => {
    const result = await runCli(['get', NOBODY_SHARES, '-o', join(network.dir.path, 'none'), '--timeout', '4', ...network.net()])
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines.at(-1)).toMatch(/^bitswarm: timed out: no peers yet: nobody announces this link \(\d+ lookups?\); check the link.* \[ERR_TIMEOUT\]$/)
    expect(lines).toContain('✘ timed out: no peer reached; nothing downloaded')
    expect(result.stderr).not.toContain('interrupted')
  })

  it('--json reports each lookup that found nobody, with the explanation', async () => {
    const result = await runCli(['get', NOBODY_SHARES, '-o', join(network.dir.path, 'none-json'), '--timeout', '4', '--json', ...network.net()])
    expect(result.code).toBe(1)
    const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string, [k: string]: unknown })
    const lookup = events.find((e) => e.event === 'lookup')
    expect(lookup).toMatchObject({ found: 0, bootstrapReachable: true })
    expect(lookup!.message).toMatch(/nobody announces this link/)
    expect(events.at(-2)).toMatchObject({ event: 'summary', outcome: 'timed-out', downloaded: 0, peersSeen: 0, pieceCount: 0 })
    expect(events.at(-1)).toMatchObject({ event: 'error', code: 'ERR_TIMEOUT' })
  })

  it('rejects a --timeout that is not a positive number', async () => {
    const result = await runCli(['get', NOBODY_SHARES, '--timeout', 'soon', ...network.net()])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toBe('bitswarm: --timeout needs a number of seconds above zero, not "soon" [ERR_INVALID_OPTION]')
  })
})
