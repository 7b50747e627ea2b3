// One share's protocol channel on one connection. Protomux multiplexes channels, so a
// connection carries every share two nodes have in common; the channel id is the share's
// discovery key, and the open handshake proves knowledge of the info hash, bound to this
// Noise session (hypercore lib/caps.js), without ever sending it.

import Protomux from 'protomux'
import type { Channel, Message } from 'protomux'
import type { SecretStream } from 'hyperswarm'
import { MAX_UNREAD_BYTES, PROTOCOL_NAME } from '../constants.js'
import { type BitswarmError, isBitswarmError, protocolError } from '../errors.js'
import { capabilityOf } from '../metadata/info-hash.js'
import { guardChannelCount, guardFrameSize } from './connection-guard.js'
import { handshakeCodec, MESSAGE_CODECS, MESSAGE_ORDER, type Handshake, type MessageName, type MessageOf } from './messages.js'

export type MessageHandlers = { [N in MessageName]: (message: MessageOf<N>) => void }

export interface WireChannelHandlers extends MessageHandlers {
  /** Both sides opened and the remote proved it knows the info hash; `flags` are the
   *  HANDSHAKE_FLAGS it sent. */
  onopen: (flags: number) => void
  /** Closed by either side, or refused: `reason` says which; `violation` is set when the
   *  connection ended because the remote broke the protocol (a malformed message, a frame
   *  over the limit, writes it never read). */
  onclose: (reason: string, violation: BitswarmError | null) => void
  /** The connection can take more writes after a send() returned false. */
  ondrain: () => void
}

export class WireChannel {
  readonly stream: SecretStream
  private readonly channel: Channel
  private readonly messages = new Map<MessageName, Message<unknown>>()
  private closeReason = 'closed by the remote peer'
  private violation: BitswarmError | null = null
  /** Estimated bytes written since the connection last had room (see MAX_UNREAD_BYTES). */
  private unread = 0
  private corked = false

  private constructor (stream: SecretStream, channel: Channel) {
    this.stream = stream
    this.channel = channel
  }

  /** Calls `onOpen` with the discovery key of each channel the remote opens on this
   *  connection that no channel of ours answers yet: a share added (or resumed) on the other
   *  side after the connection was made. Without it protomux rejects that open, and the two
   *  would never trade that share over this connection. `onOpen` opens ours (or does not). */
  static answerOpens (stream: SecretStream, onOpen: (discoveryKey: Buffer) => void): void {
    Protomux.from(stream).pair({ protocol: PROTOCOL_NAME }, (id: Buffer | null) => { if (id !== null) onOpen(id) })
  }

  /** Creates and opens the channel; returns null when this connection already has one. */
  static open (stream: SecretStream, discoveryKey: Buffer, infoHash: Buffer, flags: number, handlers: WireChannelHandlers): WireChannel | null {
    guardFrameSize(stream)
    const mux = Protomux.from(stream)
    guardChannelCount(stream, mux)
    let wire: WireChannel | null = null
    const channel = mux.createChannel<Handshake>({
      protocol: PROTOCOL_NAME,
      id: discoveryKey,
      unique: true,
      handshake: handshakeCodec,
      onopen (handshake) {
        const expected = capabilityOf(infoHash, stream.handshakeHash, !stream.isInitiator)
        if (!expected.equals(handshake.capability)) {
          wire?.close('the peer does not know the info hash')
          return
        }
        handlers.onopen(handshake.flags)
      },
      onclose () {
        const violation = wire?.violation ?? null
        handlers.onclose(violation?.message ?? wire?.closeReason ?? 'closed', violation)
      },
      ondrain () {
        if (wire !== null) wire.unread = 0
        handlers.ondrain()
      }
    })
    if (channel === null) return null
    wire = new WireChannel(stream, channel)
    // protomux ends the connection with our codec's ERR_PROTOCOL on a malformed message.
    const created = wire
    stream.on('error', (err: unknown) => { if (isBitswarmError(err)) created.violation ??= err })
    for (const name of MESSAGE_ORDER) {
      const onmessage = handlers[name] as (message: unknown) => void
      wire.messages.set(name, channel.addMessage({ encoding: MESSAGE_CODECS[name], onmessage }))
    }
    channel.open({ capability: capabilityOf(infoHash, stream.handshakeHash, stream.isInitiator), flags })
    return wire
  }

  get drained (): boolean { return this.channel.drained }
  get closed (): boolean { return this.channel.closed }

  /** Returns false when the connection's buffer is full: wait for ondrain. A peer that
   *  leaves MAX_UNREAD_BYTES unread is disconnected: our memory is not its queue. */
  send<N extends MessageName> (name: N, message: MessageOf<N>): boolean {
    const room = this.messages.get(name)!.send(message)
    if (room && !this.corked) this.unread = 0
    else if ((this.unread += sizeOf(name, message)) > MAX_UNREAD_BYTES && !this.stream.destroyed) {
      this.violate(protocolError(`left ${this.unread} bytes we sent unread`))
    }
    return room
  }

  /** Sends everything `send` queues as one write: many small messages (requests) cost one
   *  encryption and one packet instead of one each. */
  batch (send: () => void): void {
    this.channel.cork()
    this.corked = true
    try {
      send()
    } finally {
      this.corked = false
      this.channel.uncork()
    }
  }

  close (reason: string): void {
    this.closeReason = reason
    this.channel.close()
  }

  /** A protocol violation: the whole connection goes, the remote may not retry soon. */
  destroy (reason: string): void {
    this.closeReason = reason
    this.stream.destroy()
  }

  private violate (err: BitswarmError): void {
    this.violation ??= err
    this.stream.destroy(err)
  }
}

/** About the bytes a message takes on the wire: its payload, plus a little for the header. */
function sizeOf<N extends MessageName> (name: N, message: MessageOf<N>): number {
  const m = message as { data?: Uint8Array, bytes?: Uint8Array, keys?: unknown[] } | null
  if (m?.data !== undefined) return m.data.byteLength + 16
  if (m?.bytes !== undefined) return m.bytes.byteLength + 8
  if (m?.keys !== undefined) return m.keys.length * 32 + 8
  return 16
}
