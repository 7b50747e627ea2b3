// TEST ONLY. Lets the crash tests kill a download at an exact step (SIGKILL: no cleanup, no
// flush), to prove that every step leaves something the next run resumes from correctly.
// BITSWARM_TEST_CRASH_AT=<point>:<n> kills the process the n-th time it reaches <point>;
// unset (always, outside those tests), every call is one comparison and returns false.

import { writeSync } from 'node:fs'

export type CrashPoint =
  | 'piece-write'    // in the middle of a piece write: part of the piece is on disk
  | 'record-write'   // the new resume record is written and synced under its temporary name
  | 'before-rename'  // the content is complete and synced, not yet under its final name
  | 'after-rename'   // the content has its final name; the resume files are still there

const armed = parse(process.env.BITSWARM_TEST_CRASH_AT)
let reached = 0
/** What the download can say about itself when it is stopped (pieces written so far). */
let describe: () => Record<string, unknown> = () => ({})

/** Registers what to report at a crash (only when a crash point is armed). */
export function reportAtCrash (report: () => Record<string, unknown>): void {
  if (armed !== null) describe = report
}

/** True when this is the call at which the test asked to crash (it then calls crashNow). */
export function reachedCrashPoint (point: CrashPoint): boolean {
  if (armed === null || armed.point !== point) return false
  return ++reached === armed.count
}

/** Says where it stops (on standard error, for the test to read), then kills the process. */
export function crashNow (point: CrashPoint, detail: Record<string, unknown>): never {
  writeSync(2, `bitswarm-test-crash ${JSON.stringify({ point, ...describe(), ...detail })}\n`)
  process.kill(process.pid, 'SIGKILL')
  throw new Error('unreachable: SIGKILL was sent')
}

function parse (spec: string | undefined): { point: string, count: number } | null {
  if (spec === undefined || spec === '') return null
  const [point, count] = spec.split(':')
  return { point: point!, count: Number(count ?? '1') }
}
