// A client following one share's events (`bitswarm watch`, GET /shares/:id/events): it
// arrives late, so it is caught up first, then gets the live events until the session closes.

import { replayEvents, type SessionEvent, VIEW_EVENTS } from '../session/event-replay.js'
import type { Session } from '../session/session.js'

/** Sends the session's events to `send`; `end` once it closes. Returns what stops it early
 *  (the client went away). */
export function followSession (session: Session, send: (event: SessionEvent) => void, end: () => void): () => void {
  for (const event of replayEvents(session)) send(event)
  const listeners = VIEW_EVENTS.map((type) => {
    const listener = (data: unknown): void => send({ type, data } as SessionEvent)
    session.on(type, listener as never)
    return () => session.off(type, listener as never)
  })
  const onClose = (): void => { stop(); end() }
  const stop = (): void => {
    for (const off of listeners) off()
    session.off('close', onClose)
  }
  session.once('close', onClose)
  return stop
}
