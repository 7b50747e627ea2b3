// Benchmark content: the demo's streamed random files and digests (one implementation).

import { digestOf, writeRandomFile } from '../../src/demo/content.js'

export { writeRandomFile }

export async function sha256File (path: string): Promise<string> {
  return (await digestOf(path)).digest
}
