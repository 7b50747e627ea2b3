// The baseline of the transfer benchmark: a bare hyperswarm stream between two processes,
// configured as bitswarm's nodes are (same bootstrap, bound to 127.0.0.1, not firewalled).
// Usage and output: raw-stream-peer.ts.

import { runRawPeer } from './raw-stream-peer.js'

await runRawPeer('raw-peer', { host: '127.0.0.1', firewalled: false })
