// A peer that speaks the real wire protocol (the same protomux channel, handshake and
// codecs as src/wire/) but whose every message is chosen by the test: honest ones through
// the real encoders, hostile ones as raw payload bytes under any message id, or raw frames
// below protomux. What the session sends it is decoded and recorded in order.

import { randomBytes } from 'node:crypto'
import c from 'compact-encoding'
import type { KeyPair } from 'hyperdht'
import type { SecretStream } from 'hyperswarm'
import Protomux from 'protomux'
import type { Channel, Message } from 'protomux'
import { encode } from '../../src/codec.js'
import { PROTOCOL_NAME } from '../../src/constants.js'
import { capabilityOf, discoveryKeyOf } from '../../src/metadata/info-hash.js'
import { handshakeCodec, MESSAGE_CODECS, MESSAGE_ORDER, type MessageName, type MessageOf } from '../../src/wire/messages.js'
import { streamPair } from './stream-pair.js'

/** Message ids past the table, for "unknown message" tests. */
export const UNKNOWN_IDS = 4

export interface Received<N extends MessageName = MessageName> {
  name: N
  message: MessageOf<N>
}

/** Whatever a session offers to attach a connection (Session itself). */
export interface Attachable { attach: (stream: SecretStream) => void }

export interface ScriptedPeerOptions {
  infoHash: Buffer
  /** 'valid' proves knowledge of the info hash; 'wrong' sends a proof made with another. */
  proof?: 'valid' | 'wrong'
  flags?: number
  /** This peer's identity (a fresh key by default): reuse one to reconnect as the same peer. */
  keyPair?: KeyPair
}

type Handler<N extends MessageName> = (message: MessageOf<N>) => void

export class ScriptedPeer {
  /** Our end of the connection. */
  readonly stream: SecretStream
  /** The session's end (to watch what the session did to the connection). */
  remote: SecretStream | null = null
  readonly received: Received[] = []
  /** Resolves true once both sides have opened the channel, false if it closed first. */
  readonly opened: Promise<boolean>
  /** Resolves once the connection is gone. */
  readonly closed: Promise<void>
  private readonly channel: Channel
  private readonly messages: Array<Message<Uint8Array>> = []
  private readonly handlers = new Map<MessageName, Handler<MessageName>>()
  private readonly waiters: Array<{ test: (r: Received) => boolean, resolve: (r: Received) => void }> = []

  private constructor (stream: SecretStream, opts: ScriptedPeerOptions) {
    this.stream = stream
    this.closed = new Promise((resolve) => {
      if (stream.destroyed) resolve()
      else stream.once('close', () => resolve())
    })
    const mux = Protomux.from(stream)
    const channel = mux.createChannel({ protocol: PROTOCOL_NAME, id: discoveryKeyOf(opts.infoHash), unique: true, handshake: handshakeCodec })
    if (channel === null) throw new Error('the stream already has a channel for this share')
    this.channel = channel
    for (const name of MESSAGE_ORDER) {
      const codec = MESSAGE_CODECS[name]
      this.messages.push(channel.addMessage({
        encoding: { ...RAW, decode: (state: unknown) => codec.decode(state as never) },
        onmessage: (message: unknown) => this.record({ name, message } as Received)
      }))
    }
    for (let i = 0; i < UNKNOWN_IDS; i++) this.messages.push(channel.addMessage({ encoding: RAW, onmessage: () => {} }))
    const proofKey = opts.proof === 'wrong' ? randomBytes(32) : opts.infoHash
    channel.open({ capability: capabilityOf(proofKey, stream.handshakeHash, stream.isInitiator), flags: opts.flags ?? 0 })
    this.opened = (channel as unknown as { fullyOpened: () => Promise<boolean> }).fullyOpened()
  }

  /** Connects a new scripted peer to `session` over an in-memory stream pair. */
  static async connect (session: Attachable, opts: ScriptedPeerOptions): Promise<ScriptedPeer> {
    const [ours, theirs] = await streamPair(opts.keyPair !== undefined ? { initiator: opts.keyPair } : {})
    const peer = new ScriptedPeer(ours, opts)
    peer.remote = theirs
    session.attach(theirs)
    return peer
  }

  /** A scripted peer on an existing connection (a real hyperswarm one, say). */
  static over (stream: SecretStream, opts: ScriptedPeerOptions): ScriptedPeer {
    return new ScriptedPeer(stream, opts)
  }

  /** Its public key as the session names it. */
  get id (): string { return this.stream.publicKey.toString('hex') }

  get channelClosed (): boolean { return this.channel.closed }

  /** The protomux instance on our end, to open other channels (a flood of opens). */
  get mux (): Protomux { return Protomux.from(this.stream) }

  /** Sends a well-formed message. Returns false when the stream wants a drain. */
  send<N extends MessageName> (name: N, message: MessageOf<N>): boolean {
    return this.sendRaw(MESSAGE_ORDER.indexOf(name), encode(MESSAGE_CODECS[name], message as never))
  }

  /** Sends `payload` as the body of message `id` (any id, any bytes). */
  sendRaw (id: number, payload: Uint8Array): boolean {
    const message = this.messages[id]
    if (message === undefined) throw new RangeError(`message id ${id}: only ${this.messages.length} registered`)
    return message.send(payload)
  }

  /** Sends everything `send` queues as one protomux batch (one frame). */
  batch (send: () => void): void {
    this.channel.cork()
    try {
      send()
    } finally {
      this.channel.uncork()
    }
  }

  /** Reacts to every later message of one kind (one handler per kind). */
  on<N extends MessageName> (name: N, handler: Handler<N>): this {
    this.handlers.set(name, handler as Handler<MessageName>)
    return this
  }

  /** Messages of one kind received so far. */
  all<N extends MessageName> (name: N): Array<MessageOf<N>> {
    return this.received.filter((r) => r.name === name).map((r) => r.message as MessageOf<N>)
  }

  /** The first message of that kind (already received, or the next) that passes `test`. */
  async waitFor<N extends MessageName> (name: N, test: (message: MessageOf<N>) => boolean = () => true, timeoutMs = 10_000): Promise<MessageOf<N>> {
    const matches = (r: Received): boolean => r.name === name && test(r.message as MessageOf<N>)
    const seen = this.received.find(matches)
    if (seen !== undefined) return seen.message as MessageOf<N>
    return await new Promise((resolve, reject) => {
      const waiter = {
        test: matches,
        resolve: (r: Received) => { clearTimeout(timer); resolve(r.message as MessageOf<N>) }
      }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`no "${name}" message passing the test within ${timeoutMs} ms (got: ${this.summary()})`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  /** Message counts by kind, for failure messages. */
  summary (): string {
    const counts = new Map<string, number>()
    for (const r of this.received) counts.set(r.name, (counts.get(r.name) ?? 0) + 1)
    return [...counts].map(([name, n]) => `${name}×${n}`).join(', ') || 'nothing'
  }

  /** Closes the connection (the session sees the peer leave). */
  destroy (): void {
    this.stream.destroy()
  }

  private record (r: Received): void {
    this.received.push(r)
    for (const waiter of [...this.waiters]) {
      if (!waiter.test(r)) continue
      this.waiters.splice(this.waiters.indexOf(waiter), 1)
      waiter.resolve(r)
    }
    this.handlers.get(r.name)?.(r.message)
  }
}

/** Sends pre-encoded bytes as they are. */
const RAW = {
  preencode (state: { end: number }, bytes: Uint8Array) { state.end += bytes.byteLength },
  encode (state: { buffer: Uint8Array, start: number }, bytes: Uint8Array) {
    state.buffer.set(bytes, state.start)
    state.start += bytes.byteLength
  },
  decode (state: unknown) { return c.raw.decode(state as never) }
}
