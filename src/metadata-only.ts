// What a session that only fetches a share's metadata (`info`, node.fetchMetadata) needs
// besides the session: storage it never opens, and a bounded wait for the metadata.

import { timedOut } from './errors.js'
import type { Metadata } from './metadata/metadata.js'
import type { Session, StorageProvider } from './session/session.js'

/** Storage for a session that only fetches the metadata: never opened. */
export const METADATA_ONLY_STORAGE: StorageProvider = {
  open: async () => { throw new Error('a metadata-only session opens no storage') },
  finalize: async () => { throw new Error('a metadata-only session has nothing to finalize') }
}

/** The session's metadata once it has arrived; the session's error if it fails first;
 *  ERR_TIMEOUT after `timeoutMs`. */
export async function metadataWithin (session: Pick<Session, 'meta' | 'on' | 'off'>, timeoutMs: number): Promise<Metadata> {
  if (session.meta !== null) return session.meta
  let timer: NodeJS.Timeout | undefined
  const cleanup: Array<() => void> = []
  try {
    return await new Promise<Metadata>((resolve, reject) => {
      const onMetadata = (): void => resolve(session.meta!)
      const onError = (err: unknown): void => reject(err)
      session.on('metadata', onMetadata)
      session.on('error', onError)
      cleanup.push(() => session.off('metadata', onMetadata), () => session.off('error', onError))
      timer = setTimeout(() => reject(timedOut(`no peer sent the metadata within ${timeoutMs / 1000} s`)), timeoutMs)
    })
  } finally {
    clearTimeout(timer)
    for (const off of cleanup) off()
  }
}
