// Waiting on events instead of sleeping: arm the wait before acting.

import type { TypedEmitter } from '../../src/typed-emitter.js'

export function waitFor<E extends object, K extends keyof E & string> (source: TypedEmitter<E>, event: K, timeoutMs = 30_000): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      source.off(event, onEvent)
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`))
    }, timeoutMs)
    const onEvent = (payload: E[K]): void => {
      clearTimeout(timer)
      resolve(payload)
    }
    source.once(event, onEvent)
  })
}
