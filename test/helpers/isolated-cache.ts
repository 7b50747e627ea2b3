// Every test file gets its own metadata cache folder (BITSWARM_CACHE_DIR, inherited by the
// CLI processes it starts), so no run reads or fills the user's ~/.cache, and a share is
// hashed (and says so) the same way on every run. Registered in the vitest configs.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'bitswarm-cache-'))
process.env.BITSWARM_CACHE_DIR = dir
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })
