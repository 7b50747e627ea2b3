// Scenarios b and c: seeder and downloader behind NAT routers (nftables masquerade), the
// bootstrap node on a public host; the README recipe unchanged (no --firewalled, no --host).

import { describe, expect, it } from 'vitest'
import { awaitDone, startBootstrap, startGet, startShare } from './bitswarm.js'
import { expectIdentical, MiB, useScenario, WAN } from './scenario.js'
import type { Host, NatMode, Network } from './topology.js'

type Side = { nat: NatMode, firewall: boolean } | 'public'

describe('hosts behind NAT routers', () => {
  const s = useScenario()

  const place = async (net: Network, name: string, side: Side): Promise<Host> =>
    side === 'public' ? await net.publicHost(name) : await (await net.natRouter(`${name}-nat`, { mode: side.nat, firewall: side.firewall })).host(name)

  /** One share and one get placed as given: the get must end with a byte-identical copy. */
  const transfer = async (seederSide: Side, leecherSide: Side): Promise<void> => {
    const net = await s.network({ link: WAN })
    const boot = await net.publicHost('boot')
    const seeder = await place(net, 'seeder', seederSide)
    const leecher = await place(net, 'leecher', leecherSide)
    const { path, digest } = await s.content(8 * MiB)
    const bootstrap = await startBootstrap(s.procs, boot)
    const share = await startShare(s.procs, seeder, path, bootstrap)
    const get = startGet(s.procs, leecher, share.link, s.outDir('out'), bootstrap)
    const done = await awaitDone(get)
    await expectIdentical([done.path], digest)
    expect((await get.exited).code).toBe(0)
    expect((await share.proc.stop()).code).toBe(0)
  }

  it('b: both behind their own consistent NAT, no inbound firewall', async () => {
    await transfer({ nat: 'consistent', firewall: false }, { nat: 'consistent', firewall: false })
  })

  it('b: both behind their own consistent NAT, inbound firewalls on both routers', async () => {
    await transfer({ nat: 'consistent', firewall: true }, { nat: 'consistent', firewall: true })
  })

  it('c: seeder behind a random-port NAT, downloader behind a consistent NAT', async () => {
    await transfer({ nat: 'random', firewall: false }, { nat: 'consistent', firewall: false })
  })

  it('c: seeder behind a random-port NAT, downloader behind a consistent NAT, inbound firewalls on both routers', async () => {
    await transfer({ nat: 'random', firewall: true }, { nat: 'consistent', firewall: true })
  })

  it('c: seeder public, downloader behind a random-port NAT with an inbound firewall', async () => {
    await transfer('public', { nat: 'random', firewall: true })
  })
})
