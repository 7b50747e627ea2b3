// Text from outside (a path someone typed or a folder holds, a share's name, a peer's words) on
// its way to a terminal. Control characters are shown as escapes, so a name can neither end
// the line it is on and forge another, nor send the terminal an escape sequence. Pure.

/** C0 controls, DEL and C1 controls (U+009B is a one-character CSI); the Unicode line and
 *  paragraph separators; the bidirectional embeddings, overrides and isolates, which reorder
 *  what follows them on the line. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
/** What the same characters become inside JSON: JSON.stringify already escapes C0 controls
 *  and quotes, but leaves these raw. */
const JSON_UNPRINTABLE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

const hex = (char: string, digits: number): string => char.charCodeAt(0).toString(16).padStart(digits, '0')

function escape (char: string): string {
  return NAMED[char] ?? (char.charCodeAt(0) <= 0xff ? `\\x${hex(char, 2)}` : `\\u${hex(char, 4)}`)
}

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u2028`), so
 *  that it prints as one line and changes nothing on the terminal. A backslash stays as it
 *  is: names are shown for people (and copied), not parsed back. */
export function printable (text: string): string {
  return text.replace(UNPRINTABLE, escape)
}

/** One JSON line: the same value when parsed, with no character a terminal would act on,
 *  whatever the strings hold. */
export function jsonLine (value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNPRINTABLE, (char) => `\\u${hex(char, 4)}`) + '\n'
}
