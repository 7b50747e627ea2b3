// EventEmitter with one payload per event, typed by an event map. The CLI and the tests
// observe a node through these events alone.

import { EventEmitter } from 'node:events'

export type Listener<T> = (payload: T) => void

export class TypedEmitter<Events extends object> {
  /** Type-only: lets helpers infer the event map from an emitter (emits no code). */
  declare readonly eventMap?: Events
  private readonly emitter = new EventEmitter()

  constructor () {
    // Many observers (CLI, tests, benchmarks) may watch one session.
    this.emitter.setMaxListeners(0)
  }

  on<K extends keyof Events & string> (event: K, listener: Listener<Events[K]>): this {
    this.emitter.on(event, listener)
    return this
  }

  once<K extends keyof Events & string> (event: K, listener: Listener<Events[K]>): this {
    this.emitter.once(event, listener)
    return this
  }

  off<K extends keyof Events & string> (event: K, listener: Listener<Events[K]>): this {
    this.emitter.off(event, listener)
    return this
  }

  /** Whether anyone listens (EventEmitter throws an `error` nobody listens to). */
  protected listens<K extends keyof Events & string> (event: K): boolean {
    return this.emitter.listenerCount(event) > 0
  }

  protected emit<K extends keyof Events & string> (event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload)
  }
}
