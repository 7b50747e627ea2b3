// "0 peers", explained: what a lookup that found nobody tells a person, told apart by the
// likely cause (the bootstrap node, the network between the peers, or the link itself).

import type { LookupReport } from '../node.js'

export function explainNoPeers (report: Pick<LookupReport, 'attempt' | 'found' | 'bootstrapReachable'>): string {
  const lookups = `${report.attempt} ${report.attempt === 1 ? 'lookup' : 'lookups'}`
  if (report.bootstrapReachable === false) {
    return `no peers yet: the bootstrap node does not answer (${lookups}); is \`bitswarm bootstrap\` running at that address, with UDP open?`
  }
  if (report.found > 0) {
    return `no peers yet: ${report.found} found on the DHT but none reachable (${lookups}); a firewall or NAT in the way? on a LAN try --no-firewalled`
  }
  return `no peers yet: nobody announces this link (${lookups}); check the link, that the sharer is running, and that both use the same --bootstrap`
}
