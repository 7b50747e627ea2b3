// One share's protocol channel on one connection. Protomux multiplexes channels, so a
// connection carries every share two nodes have in common; the channel id is the share's
// discovery key, and the open handshake proves knowledge of the info hash, bound to this
// Noise session (hypercore lib/caps.js), without ever sending it.

import Protomux from 'protomux'
import type { Channel, Message } from 'protomux'
import type { SecretStream } from 'hyperswarm'
import { PROTOCOL_NAME } from '../constants.js'
import { capabilityOf } from '../metadata/info-hash.js'
import { handshakeCodec, MESSAGE_CODECS, MESSAGE_ORDER, type Handshake, type MessageName, type MessageOf } from './messages.js'

export type MessageHandlers = { [N in MessageName]: (message: MessageOf<N>) => void }

export interface WireChannelHandlers extends MessageHandlers {
  /** Both sides opened and the remote proved it knows the info hash; `flags` are the
   *  HANDSHAKE_FLAGS it sent. */
  onopen: (flags: number) => void
  /** Closed by either side, or refused: `reason` says which. */
  onclose: (reason: string) => void
  /** The connection can take more writes after a send() returned false. */
  ondrain: () => void
}

export class WireChannel {
  readonly stream: SecretStream
  private readonly channel: Channel
  private readonly messages = new Map<MessageName, Message<unknown>>()
  private closeReason = 'closed by the remote peer'

  private constructor (stream: SecretStream, channel: Channel) {
    this.stream = stream
    this.channel = channel
  }

  /** Creates and opens the channel; returns null when this connection already has one. */
  static open (stream: SecretStream, discoveryKey: Buffer, infoHash: Buffer, flags: number, handlers: WireChannelHandlers): WireChannel | null {
    const mux = Protomux.from(stream)
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
      onclose () { handlers.onclose(wire?.closeReason ?? 'closed') },
      ondrain () { handlers.ondrain() }
    })
    if (channel === null) return null
    wire = new WireChannel(stream, channel)
    for (const name of MESSAGE_ORDER) {
      const onmessage = handlers[name] as (message: unknown) => void
      wire.messages.set(name, channel.addMessage({ encoding: MESSAGE_CODECS[name], onmessage }))
    }
    channel.open({ capability: capabilityOf(infoHash, stream.handshakeHash, stream.isInitiator), flags })
    return wire
  }

  get drained (): boolean { return this.channel.drained }
  get closed (): boolean { return this.channel.closed }

  /** Returns false when the connection's buffer is full: wait for ondrain. */
  send<N extends MessageName> (name: N, message: MessageOf<N>): boolean {
    return this.messages.get(name)!.send(message)
  }

  /** Sends everything `send` queues as one write: many small messages (requests) cost one
   *  encryption and one packet instead of one each. */
  batch (send: () => void): void {
    this.channel.cork()
    try {
      send()
    } finally {
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
}
