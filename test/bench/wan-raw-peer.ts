// The baseline of the wan benchmark: the same bare hyperswarm stream, run inside a network
// namespace (`ip netns exec`). It binds no particular address (each namespace has one
// interface), and every side stands for a public host: its DHT runs with
// `firewalled: false, ephemeral: false` (network-emulation.md: a firewalled default on a
// routed topology gets no data). Bootstraps to the same bootstrap node as bitswarm.
// Usage and output: raw-stream-peer.ts.

import { runRawPeer } from './raw-stream-peer.js'

await runRawPeer('wan-raw-peer', { firewalled: false, ephemeral: false })
