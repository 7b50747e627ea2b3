// A fake media player for the --open tests: a script that records the arguments it was
// started with, so a test can check which player got which URL.

import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { waitUntil } from './poll.js'

/** A player that writes its arguments, one a line, to `<itself>.args` (whole, by a rename) and exits. */
export async function fakePlayer (dir: string, name: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$0.args.tmp" && mv "$0.args.tmp" "$0.args"\n')
  await chmod(path, 0o755)
  return path
}

/** The arguments the fake player at `path` was started with. */
export async function argumentsOf (path: string): Promise<string[]> {
  // Its own process, detached: nothing announces that it ran but the file it leaves.
  await waitUntil(() => existsSync(`${path}.args`), 10_000, `${path} to run`)
  return (await readFile(`${path}.args`, 'utf8')).split('\n').filter((line) => line !== '')
}
