// Lines as styled spans, measured in terminal cells: the view fits every line to the
// width before it adds any escape code, so colour never changes what fits.

import { printable } from '../printable.js'
import { colour, type Style } from './colour.js'

export interface Span {
  text: string
  style?: Style
}

const ELLIPSIS = '…'
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[78]|\x1b\][^\x07]*\x07/g
/** Combining marks and zero-width joiners/selectors take no cell. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200d\ufe00-\ufe0f]$/u
/** East Asian wide and fullwidth blocks, and emoji, take two cells. */
const WIDE = /^[\u1100-\u115f\u2e80-\u303e\u3041-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u

export const span = (text: string, style?: Style): Span => style === undefined ? { text } : { text, style }

/** A share's name comes from whoever made the link, and must not move the cursor or change
 *  the terminal: its control characters are shown as escapes, as on every other line. */
export function sanitize (text: string): string {
  return printable(text)
}

export function stripAnsi (text: string): string {
  return text.replace(ANSI, '')
}

export function charWidth (char: string): number {
  if (ZERO_WIDTH.test(char)) return 0
  return WIDE.test(char) ? 2 : 1
}

/** Cells a string takes on screen, escape codes aside. */
export function visibleWidth (text: string): number {
  let width = 0
  for (const char of stripAnsi(text)) width += charWidth(char)
  return width
}

export function spansWidth (spans: Span[]): number {
  return spans.reduce((sum, s) => sum + visibleWidth(sanitize(s.text)), 0)
}

/** The spans cut to `width` cells (an ellipsis marks the cut), then coloured. */
export function fitLine (spans: Span[], width: number, colourOn: boolean): string {
  const total = spansWidth(spans)
  let room = total <= width ? width : Math.max(0, width - 1)
  let out = ''
  for (const s of spans) {
    const text = sanitize(s.text)
    let kept = ''
    for (const char of text) {
      const w = charWidth(char)
      if (w > room) break
      kept += char
      room -= w
    }
    out += colour(kept, s.style, colourOn)
    if (kept.length < text.length) break
  }
  return total > width && width > 0 ? out + ELLIPSIS : out
}

/** The spans coloured, at any length (plain lines for logs). */
export function joinSpans (spans: Span[], colourOn: boolean): string {
  return spans.map((s) => colour(sanitize(s.text), s.style, colourOn)).join('')
}

/** Pads to `width` cells on the left (right-aligned) or right. */
export function pad (text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(text)))
  return align === 'right' ? fill + text : text + fill
}
