// The stable code of whatever a call throws, so tables can assert codes rather than messages.

import { isBitswarmError } from '../../../src/errors.js'

export function codeOf (run: () => unknown): string {
  try {
    run()
  } catch (err) {
    return isBitswarmError(err) ? err.code : `not a BitswarmError: ${String(err)}`
  }
  return 'did not throw'
}

export async function asyncCodeOf (run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
  } catch (err) {
    return isBitswarmError(err) ? err.code : `not a BitswarmError: ${String(err)}`
  }
  return 'did not throw'
}
