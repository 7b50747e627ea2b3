// The guards below our codecs: they read internals of the secret-stream and protomux
// versions installed (pinned here, so an upgrade that moves them fails loudly), and a peer
// that never reads what we send is cut off once MAX_UNREAD_BYTES wait for it.

import Protomux from 'protomux'
import { describe, expect, it } from 'vitest'
import { BLOCK_BYTES, MAX_UNREAD_BYTES } from '../../../src/constants.js'
import type { BitswarmError } from '../../../src/errors.js'
import { WireChannel, type WireChannelHandlers } from '../../../src/wire/channel.js'
import { guardChannelCount, guardFrameSize } from '../../../src/wire/connection-guard.js'
import { MESSAGE_ORDER } from '../../../src/wire/messages.js'
import { streamPair } from '../../helpers/stream-pair.js'

const noop = (): void => {}

function handlers (onclose: WireChannelHandlers['onclose']): WireChannelHandlers {
  return { ...Object.fromEntries(MESSAGE_ORDER.map((name) => [name, noop])), onopen: noop, ondrain: noop, onclose } as unknown as WireChannelHandlers
}

describe('connection guards', () => {
  it('can read the framing state of the installed secret-stream and protomux', async () => {
    const [a, b] = await streamPair()
    expect(guardFrameSize(a)).toBe(true)
    expect(guardFrameSize(a)).toBe(true) // once per stream
    expect(guardChannelCount(a, Protomux.from(a))).toBe(true)
    a.destroy()
    b.destroy()
  })

  it(`cuts off a peer that leaves more than ${MAX_UNREAD_BYTES} bytes unread`, async () => {
    const [a, b] = await streamPair()
    b.pause() // b never reads: backpressure reaches a's writes
    let violation: BitswarmError | null = null
    const closed = new Promise<void>((resolve) => {
      WireChannel.open(a, Buffer.alloc(32, 1), Buffer.alloc(32, 2), 0, handlers((_reason, v) => { violation = v; resolve() }))
    })
    const wire = WireChannel.open(a, Buffer.alloc(32, 3), Buffer.alloc(32, 4), 0, handlers(noop))!
    const data = Buffer.alloc(BLOCK_BYTES)
    let sent = 0
    while (sent < 4 * MAX_UNREAD_BYTES && !wire.closed && !(a as unknown as { destroying: boolean }).destroying) {
      wire.send('block', { piece: 0, offset: 0, data })
      sent += data.byteLength
    }
    await closed
    expect(violation).not.toBeNull()
    expect(violation!.code).toBe('ERR_PROTOCOL')
    expect(violation!.message).toMatch(/left \d+ bytes we sent unread/)
    // It stopped at the cap, not at what we tried to send.
    expect(sent).toBeLessThanOrEqual(MAX_UNREAD_BYTES + 2 * BLOCK_BYTES)
    b.destroy()
  })
})
