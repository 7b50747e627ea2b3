// Which of its four outputs a command's reporter writes: JSON lines for programs (--json),
// the live terminal view for people at a terminal, plain status lines for logs and CI,
// next to nothing with --quiet.

export type OutputMode = 'json' | 'quiet' | 'terminal' | 'plain'

/** The flags that choose the mode. */
export interface ModeOptions {
  json: boolean
  quiet?: boolean
  /** Standard output carries the content itself (`get -o -`): nothing else goes there. */
  contentOnStdout?: boolean
  /** Lines, not the live view: one terminal cannot hold the views of several shares. */
  lines?: boolean
}

/** The live view needs a person watching: standard output and standard error both
 *  terminals (it is drawn on standard error, so standard output stays data), or only
 *  standard error when standard output carries the content. */
export function chooseMode (opts: ModeOptions, stdoutTTY: boolean, stderrTTY: boolean): OutputMode {
  if (opts.json) return 'json'
  if (opts.quiet === true) return 'quiet'
  if (opts.lines === true) return 'plain'
  return (stdoutTTY || opts.contentOnStdout === true) && stderrTTY ? 'terminal' : 'plain'
}
