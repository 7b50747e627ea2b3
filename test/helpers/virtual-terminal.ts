// A small terminal emulator for tests: enough xterm to replay what the CLI writes (cursor
// moves, erases, autowrap, the alternate screen) and tell what a person would see, and
// whether anything was printed past the right edge.

const ESC = '\x1b'
const TAB_STOP = 8

type Grid = string[][]

export class VirtualTerminal {
  columns: number
  rows: number
  x = 0
  y = 0
  autowrap = true
  cursorVisible = true
  altScreen = false
  /** Characters that reached the right edge with nowhere to go (cut off or wrapped), in all
   *  and while the alternate screen was shown. */
  overflows = 0
  altOverflows = 0
  /** Whether any colour or style code (SGR other than a reset) was written. */
  styled = false
  /** Lines scrolled off the top of the main screen. */
  readonly scrollback: string[] = []
  private main: Grid
  private alt: Grid
  private saved = { x: 0, y: 0 }
  private atEdge = false
  private pending = ''

  constructor (columns: number, rows: number) {
    this.columns = columns
    this.rows = rows
    this.main = blank(columns, rows)
    this.alt = blank(columns, rows)
  }

  /** The screen as text, one string per row, trailing blanks trimmed. */
  lines (): string[] {
    return this.grid.map((row) => row.join('').trimEnd())
  }

  /** The main screen (what stays after the alternate screen closes). */
  mainLines (): string[] {
    return this.main.map((row) => row.join('').trimEnd())
  }

  write (data: string): void {
    const text = this.pending + data
    this.pending = ''
    let i = 0
    while (i < text.length) {
      const char = text[i]!
      if (char === ESC) {
        const length = this.escape(text, i)
        if (length === 0) {
          this.pending = text.slice(i) // an escape sequence cut between two chunks
          return
        }
        i += length
        continue
      }
      if (!this.control(char)) this.print(char)
      i++
    }
  }

  /** A resize without reflow (as xterm): rows and columns are cut or padded. */
  resize (columns: number, rows: number): void {
    const fit = (grid: Grid): Grid => Array.from({ length: rows }, (_, y) =>
      Array.from({ length: columns }, (_, x) => grid[y]?.[x] ?? ' '))
    this.main = fit(this.main)
    this.alt = fit(this.alt)
    this.columns = columns
    this.rows = rows
    this.x = Math.min(this.x, columns - 1)
    this.y = Math.min(this.y, rows - 1)
  }

  private get grid (): Grid { return this.altScreen ? this.alt : this.main }

  private control (char: string): boolean {
    switch (char) {
      case '\r': this.moveTo(0, this.y); return true
      case '\n': this.lineFeed(); return true
      case '\b': this.moveTo(this.x - 1, this.y); return true
      case '\t': this.moveTo(Math.min(this.columns - 1, (Math.floor(this.x / TAB_STOP) + 1) * TAB_STOP), this.y); return true
      case '\x07': return true
      default: return char < ' '
    }
  }

  private print (char: string): void {
    if (this.atEdge) {
      this.overflows++
      if (this.altScreen) this.altOverflows++
      if (this.autowrap) {
        this.x = 0
        this.lineFeed()
      }
    }
    this.grid[this.y]![this.x] = char
    this.atEdge = this.x === this.columns - 1
    if (!this.atEdge) this.x++
  }

  private lineFeed (): void {
    this.atEdge = false
    if (this.y < this.rows - 1) {
      this.y++
      return
    }
    const top = this.grid.shift()!
    if (!this.altScreen) this.scrollback.push(top.join('').trimEnd())
    this.grid.push(Array.from({ length: this.columns }, () => ' '))
  }

  private moveTo (x: number, y: number): void {
    this.x = Math.max(0, Math.min(this.columns - 1, x))
    this.y = Math.max(0, Math.min(this.rows - 1, y))
    this.atEdge = false
  }

  /** Handles the sequence at `i`; returns its length, or 0 when it is not complete yet. */
  private escape (text: string, i: number): number {
    const next = text[i + 1]
    if (next === undefined) return 0
    if (next === '[') {
      const match = /^\x1b\[([0-9;?]*)([ -/]*)([@-~])/.exec(text.slice(i))
      if (match === null) return /^\x1b\[[0-9;?]*[ -/]*$/.test(text.slice(i)) ? 0 : 2
      this.csi(match[1]!, match[3]!)
      return match[0].length
    }
    if (next === ']') {
      const end = text.indexOf('\x07', i)
      return end < 0 ? 0 : end - i + 1
    }
    if (next === '7') this.saved = { x: this.x, y: this.y }
    if (next === '8') this.moveTo(this.saved.x, this.saved.y)
    if (next === '(' || next === ')') return text[i + 2] === undefined ? 0 : 3
    return 2
  }

  private csi (params: string, final: string): void {
    if (params.startsWith('?')) {
      this.mode(params.slice(1), final === 'h')
      return
    }
    const args = params.split(';').map((p) => (p === '' ? NaN : Number(p)))
    const n = Number.isNaN(args[0]!) ? 1 : Math.max(1, args[0]!)
    const row = this.grid[this.y]!
    switch (final) {
      case 'A': this.moveTo(this.x, this.y - n); break
      case 'B': this.moveTo(this.x, this.y + n); break
      case 'C': this.moveTo(this.x + n, this.y); break
      case 'D': this.moveTo(this.x - n, this.y); break
      case 'E': this.moveTo(0, this.y + n); break
      case 'F': this.moveTo(0, this.y - n); break
      case 'G': this.moveTo(n - 1, this.y); break
      case 'H': case 'f': this.moveTo((Number.isNaN(args[1]!) ? 1 : args[1]!) - 1, n - 1); break
      case 'K': this.erase(row, Number.isNaN(args[0]!) ? 0 : args[0]!, this.x); break
      case 'J': {
        const how = Number.isNaN(args[0]!) ? 0 : args[0]!
        this.erase(row, how === 0 ? 0 : how === 1 ? 1 : 2, this.x)
        for (let y = 0; y < this.rows; y++) {
          if ((how === 0 && y > this.y) || (how === 1 && y < this.y) || how >= 2) this.erase(this.grid[y]!, 2, 0)
        }
        break
      }
      case 'm': if (params !== '' && params !== '0') this.styled = true; break
      default: break
    }
  }

  private erase (row: string[], how: number, x: number): void {
    for (let i = 0; i < row.length; i++) {
      if (how === 2 || (how === 0 && i >= x) || (how === 1 && i <= x)) row[i] = ' '
    }
  }

  private mode (params: string, on: boolean): void {
    for (const p of params.split(';')) {
      if (p === '25') this.cursorVisible = on
      if (p === '7') this.autowrap = on
      if ((p === '1049' || p === '1047' || p === '47') && on !== this.altScreen) {
        if (on) {
          this.saved = { x: this.x, y: this.y }
          this.alt = blank(this.columns, this.rows)
        }
        this.altScreen = on
        if (!on) this.moveTo(this.saved.x, this.saved.y)
      }
    }
  }
}

function blank (columns: number, rows: number): Grid {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => ' '))
}
