// Whether to colour, by the conventions (https://no-color.org, https://force-color.org),
// and the few SGR codes the view uses.

export type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'cyan' | 'magenta'

const SGR: Record<Style, string> = {
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  red: '\x1b[31m',
  cyan: '\x1b[36m',
  magenta: '\x1b[35m'
}
const RESET = '\x1b[0m'

/** FORCE_COLOR wins (as in Node and chalk; `0` or `false` turn colour off), then NO_COLOR
 *  (any non-empty value), then: only on a terminal that is not `dumb`. */
export function colourEnabled (env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return isTTY && env.TERM !== 'dumb'
}

export function colour (text: string, style: Style | undefined, enabled: boolean): string {
  return enabled && style !== undefined && text !== '' ? SGR[style] + text + RESET : text
}
