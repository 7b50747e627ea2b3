// Emulated networks out of network namespaces, all on this machine and without a route out:
//
//   backbone ("internet")  one namespace that routes between everything attached to it. Each
//                          attachment k is a veth pair on 10.0.k.0/24 (backbone 10.0.k.1, the
//                          attached side 10.0.k.2). Traffic entering the backbone from an
//                          attachment with a link profile is policy-routed (`iif pK lookup T`)
//                          into a TUN device whose tun-delay process delays/drops it and writes
//                          it back: one traversal of the backbone = one delay (A→B→A = 2).
//   public host            a namespace attached to the backbone (eth0 = 10.0.k.2).
//   NAT router             a namespace attached to the backbone by `wan` (10.0.k.2), with a
//                          bridge `lan` (192.168.m.1/24) and hosts behind it (192.168.m.10+j).
//                          nftables masquerade (consistent ports) or masquerade fully-random
//                          (a new random port per destination), optionally an inbound firewall
//                          on `wan` (established/related in, the rest dropped).
//
// Bandwidth caps are `tbf` on the interface that sends towards a host (its downlink).

import { NsProcess } from './processes.js'
import { createNamespace, deleteNamespace, inNs, run, sysctl } from './shell.js'
import { type LinkProfile, profileKey, startTunDelay } from './tun-delay.js'

export type { LinkProfile }
export type NatMode = 'consistent' | 'random'

export interface Host {
  readonly name: string
  readonly ns: string
  /** The host's own address (its LAN address when behind a NAT). */
  readonly ip: string
  /** The address the rest of the network sees it from. */
  readonly publicIp: string
  readonly router: NatRouter | null
  /** The interface (and its namespace) that sends towards this host. */
  readonly downlink: { ns: string, dev: string }
}

export interface NatRouter {
  readonly name: string
  readonly ns: string
  readonly wanIp: string
  readonly mode: NatMode
  readonly firewall: boolean
  /** Adds a host on this router's LAN. */
  host (name: string): Promise<Host>
  /** `nft list ruleset` with its counters. */
  ruleset (): Promise<string>
}

const BASE_RULE_PRIORITY = 1000
const BASE_TABLE = 100

export class Network {
  private attachments = 0
  private routers = 0
  private readonly namespaces: string[] = []
  private readonly tuns = new Map<string, { dev: string, table: number, proc: NsProcess }>()
  readonly hosts: Host[] = []

  private constructor (readonly backbone: string, private readonly defaultLink: LinkProfile | null) {}

  /** A backbone; `link` is the profile of every attachment that does not give its own. */
  static async create (opts: { link?: LinkProfile | null } = {}): Promise<Network> {
    const backbone = await createNamespace('inet')
    const net = new Network(backbone, opts.link ?? null)
    net.namespaces.push(backbone)
    try {
      await quietNamespace(backbone, true)
    } catch (err) {
      await net.destroy()
      throw err
    }
    return net
  }

  /** A host attached to the backbone, reachable by everyone. */
  async publicHost (name: string, opts: { link?: LinkProfile | null } = {}): Promise<Host> {
    const ns = await this.namespace(name, false)
    const { ip, dev } = await this.attach(ns, 'eth0', opts.link)
    const host: Host = { name, ns, ip, publicIp: ip, router: null, downlink: { ns: this.backbone, dev } }
    this.hosts.push(host)
    return host
  }

  /** A NAT router attached to the backbone; hosts go behind it with `router.host(name)`. */
  async natRouter (name: string, opts: { mode?: NatMode, firewall?: boolean, link?: LinkProfile | null } = {}): Promise<NatRouter> {
    const mode = opts.mode ?? 'consistent'
    const firewall = opts.firewall ?? false
    const ns = await this.namespace(name, true)
    const { ip: wanIp } = await this.attach(ns, 'wan', opts.link)
    const m = ++this.routers
    await run('ip', ['-n', ns, 'link', 'add', 'lan', 'type', 'bridge'])
    await run('ip', ['-n', ns, 'addr', 'add', `192.168.${m}.1/24`, 'dev', 'lan'])
    await run('ip', ['-n', ns, 'link', 'set', 'lan', 'up'])
    await inNs(ns, 'nft', ['-f', '-'], natRules(mode, firewall))
    let lanHosts = 0
    const router: NatRouter = {
      name,
      ns,
      wanIp,
      mode,
      firewall,
      host: async (hostName) => {
        const j = ++lanHosts
        const hostNs = await this.namespace(hostName, false)
        const port = `l${j}`
        const ip = `192.168.${m}.${10 + j}`
        await run('ip', ['-n', ns, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', hostNs])
        await run('ip', ['-n', ns, 'link', 'set', port, 'master', 'lan', 'up'])
        await run('ip', ['-n', hostNs, 'addr', 'add', `${ip}/24`, 'dev', 'eth0'])
        await run('ip', ['-n', hostNs, 'link', 'set', 'eth0', 'up'])
        await run('ip', ['-n', hostNs, 'route', 'add', 'default', 'via', `192.168.${m}.1`])
        const host: Host = { name: hostName, ns: hostNs, ip, publicIp: wanIp, router, downlink: { ns, dev: port } }
        this.hosts.push(host)
        return host
      },
      ruleset: async () => await inNs(ns, 'nft', ['list', 'ruleset'])
    }
    return router
  }

  /** Caps what `host` receives to `mbit` Mbit/s (tbf on the interface that sends to it). */
  async capDownlink (host: Host, mbit: number): Promise<void> {
    const bytesPerSecond = mbit * 1e6 / 8
    const burst = Math.max(16 * 1024, Math.ceil(bytesPerSecond / 250)) // ≥ one tick at HZ=250
    await run('tc', ['-n', host.downlink.ns, 'qdisc', 'replace', 'dev', host.downlink.dev, 'root', 'tbf',
      'rate', `${mbit}mbit`, 'burst', String(burst), 'latency', '100ms'])
  }

  /** Stops the TUN programs and removes every namespace, even after errors. */
  async destroy (): Promise<void> {
    const errors: unknown[] = []
    for (const { proc } of this.tuns.values()) await proc.stop('SIGTERM', 3000).catch((e: unknown) => errors.push(e))
    this.tuns.clear()
    for (const ns of this.namespaces.splice(0).reverse()) await deleteNamespace(ns).catch((e: unknown) => errors.push(e))
    if (errors.length > 0) throw new Error(`network teardown: ${errors.map(String).join('; ')}`)
  }

  private async namespace (role: string, router: boolean): Promise<string> {
    const ns = await createNamespace(role)
    this.namespaces.push(ns)
    await quietNamespace(ns, router)
    return ns
  }

  /** A veth pair between the backbone (pK, 10.0.k.1) and `ns` (`dev`, 10.0.k.2, default route
   *  via the backbone), with the attachment's link profile. */
  private async attach (ns: string, dev: string, link: LinkProfile | null | undefined): Promise<{ ip: string, dev: string }> {
    const k = ++this.attachments
    if (k > 250) throw new Error('too many attachments')
    const port = `p${k}`
    const ip = `10.0.${k}.2`
    await run('ip', ['-n', this.backbone, 'link', 'add', port, 'type', 'veth', 'peer', 'name', dev, 'netns', ns])
    await run('ip', ['-n', this.backbone, 'addr', 'add', `10.0.${k}.1/24`, 'dev', port])
    await run('ip', ['-n', this.backbone, 'link', 'set', port, 'up'])
    await run('ip', ['-n', ns, 'addr', 'add', `${ip}/24`, 'dev', dev])
    await run('ip', ['-n', ns, 'link', 'set', dev, 'up'])
    await run('ip', ['-n', ns, 'route', 'add', 'default', 'via', `10.0.${k}.1`])
    const profile = link === undefined ? this.defaultLink : link
    if (profile !== null) {
      const { table } = await this.tunFor(profile)
      await run('ip', ['-n', this.backbone, 'rule', 'add', 'iif', port, 'lookup', String(table), 'priority', String(BASE_RULE_PRIORITY + k)])
    }
    return { ip, dev: port }
  }

  /** One TUN device and routing table per distinct profile. */
  private async tunFor (profile: LinkProfile): Promise<{ dev: string, table: number }> {
    const key = profileKey(profile)
    const existing = this.tuns.get(key)
    if (existing !== undefined) return existing
    const index = this.tuns.size
    const dev = `t${index}`
    const table = BASE_TABLE + index
    const proc = await startTunDelay(this.backbone, dev, profile)
    const entry = { dev, table, proc }
    this.tuns.set(key, entry)
    await run('ip', ['-n', this.backbone, 'link', 'set', dev, 'mtu', '1500', 'up'])
    await sysctl(this.backbone, { [`net.ipv4.conf.${dev}.rp_filter`]: 0 })
    await run('ip', ['-n', this.backbone, 'route', 'add', 'default', 'dev', dev, 'table', String(table)])
    return entry
  }
}

/** IPv6 off (hyperdht is IPv4; no router solicitations in the way), no reverse-path filter
 *  (policy routing makes forwarded packets arrive on the TUN), forwarding on routers. */
async function quietNamespace (ns: string, router: boolean): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'sysctl', '-e', '-q', '-w',
    'net.ipv6.conf.all.disable_ipv6=1',
    'net.ipv6.conf.default.disable_ipv6=1',
    'net.ipv4.conf.all.rp_filter=0',
    'net.ipv4.conf.default.rp_filter=0',
    `net.ipv4.ip_forward=${router ? 1 : 0}`,
    // Bridged LAN traffic stays out of the router's netfilter when br_netfilter is loaded.
    'net.bridge.bridge-nf-call-iptables=0'])
}

function natRules (mode: NatMode, firewall: boolean): string {
  const masquerade = mode === 'random' ? 'masquerade fully-random' : 'masquerade'
  const rules = [
    'table ip bsw_nat {',
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "wan" counter ${masquerade}`,
    '  }',
    '}'
  ]
  if (firewall) {
    rules.push(
      'table ip bsw_filter {',
      '  chain forward {',
      '    type filter hook forward priority filter; policy accept;',
      '    iifname "wan" ct state established,related counter accept',
      '    iifname "wan" counter drop',
      '  }',
      '  chain input {',
      '    type filter hook input priority filter; policy accept;',
      '    iifname "wan" ct state established,related counter accept',
      '    iifname "wan" counter drop',
      '  }',
      '}')
  }
  return rules.join('\n') + '\n'
}
