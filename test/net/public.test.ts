// Scenario a: the README recipe between public hosts over a lossy, delayed backbone.

import { describe, expect, it } from 'vitest'
import { awaitDone, startBootstrap, startGet, startShare } from './bitswarm.js'
import { expectIdentical, MiB, useScenario, WAN } from './scenario.js'

describe('public hosts over the emulated WAN', () => {
  const s = useScenario()

  it('share → get over 30±5 ms per traversal with 1 % loss: a byte-identical copy', async () => {
    const net = await s.network({ link: WAN })
    const boot = await net.publicHost('boot')
    const seeder = await net.publicHost('seeder')
    const leecher = await net.publicHost('leecher')
    const { path, digest } = await s.content(16 * MiB)
    const bootstrap = await startBootstrap(s.procs, boot)
    const share = await startShare(s.procs, seeder, path, bootstrap)
    const get = startGet(s.procs, leecher, share.link, s.outDir('out'), bootstrap)
    const done = await awaitDone(get)
    console.info(`first peer after ${get.secondsTo((e) => e.event === 'peer')?.toFixed(2)} s, done after ${get.secondsTo((e) => e.event === 'done')?.toFixed(2)} s`)
    expect(done.size).toBe(16 * MiB)
    await expectIdentical([done.path], digest)
    expect((await get.exited).code).toBe(0)
    expect((await share.proc.stop()).code).toBe(0)
  })
})
