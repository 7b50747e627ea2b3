// Timers created while a tracker runs and still pending: a node that closed cleanly leaves
// none that keep the process alive. (process.getActiveResourcesInfo() counts ref'd timers
// with a counter that library code re-arming fired timers can skew; the objects cannot lie.)

import { createHook } from 'node:async_hooks'

export interface TimerTracker {
  /** Pending timers created since the tracker started that keep the event loop alive. */
  pendingRefed: () => number
  stop: () => void
}

export function trackTimers (): TimerTracker {
  const live = new Map<number, NodeJS.Timeout>()
  const hook = createHook({
    init (id, type, _trigger, resource) { if (type === 'Timeout') live.set(id, resource as NodeJS.Timeout) },
    destroy (id) { live.delete(id) }
  }).enable()
  return {
    pendingRefed: () => [...live.values()].filter((t) => t.hasRef() && !(t as unknown as { _destroyed: boolean })._destroyed).length,
    stop: () => { hook.disable() }
  }
}
