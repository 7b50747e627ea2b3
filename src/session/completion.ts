// A session's completion as a promise: `done` resolves it, `error` or `close` first rejects it.

import { type BitswarmError, closed } from '../errors.js'
import type { TypedEmitter } from '../typed-emitter.js'
import type { SessionEvents } from './events.js'

/** `already` is the `done` payload if the session completed before anyone asked. */
export function untilDone (session: TypedEmitter<SessionEvents>, already: SessionEvents['done'] | null): Promise<SessionEvents['done']> {
  if (already !== null) return Promise.resolve(already)
  return new Promise((resolve, reject) => {
    const onDone = (done: SessionEvents['done']): void => { settle(); resolve(done) }
    const onError = (err: BitswarmError): void => { settle(); reject(err) }
    const onClose = ({ reason }: { reason: string }): void => { settle(); reject(closed(`the session (${reason})`)) }
    const settle = (): void => {
      session.off('done', onDone)
      session.off('error', onError)
      session.off('close', onClose)
    }
    session.on('done', onDone)
    session.on('error', onError)
    session.on('close', onClose)
  })
}
