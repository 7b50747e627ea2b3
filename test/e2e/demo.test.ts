// `npm run demo` as a newcomer runs it, with a small file so it ends in seconds; piped, so
// it must stay readable without a terminal.

import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('npm run demo', () => {
  it('runs a seeder and three downloaders, verifies every copy and exits 0', async () => {
    const child = spawn('npm', ['run', '-s', 'demo', '--', '--size', '1M', '--peers', '3'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
    const [code] = await once(child, 'exit') as [number | null]

    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/verified: all 3 copies match the source/)
    // One row per node in the who-gave-whom table, the comparison with client–server.
    for (const name of ['seeder', 'd1', 'd2', 'd3']) expect(stdout).toMatch(new RegExp(`^${name}\\s`, 'm'))
    expect(stdout).toMatch(/client–server would need at least \d+\.\d s/)
    // Piped: plain progress lines, no escape codes anywhere.
    expect(stderr + stdout).not.toMatch(/\x1b\[/)
  }, 60_000)
})
