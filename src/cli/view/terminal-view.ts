// Draws the live view on a terminal with cli-progress: a MultiBar with one bar per line,
// whose format prints the line rendered for that bar. cli-progress owns the cursor and the
// redraw, and rewrites only the lines that changed, so nothing flickers. The view lives in
// the terminal's alternate screen (as `top` does): a resize redraws it from a clean screen,
// and on exit the terminal shows what it showed before, plus the summary printed after.

import cliProgress from 'cli-progress'
import type { ScreenSize } from './screen.js'

/** Redraws a second: "a few times a second", as often as the session's stats change. */
export const REFRESH_FPS = 5
const ENTER_ALT_SCREEN = '\x1b[?1049h'
const LEAVE_ALT_SCREEN = '\x1b[?1049l'
const HOME_AND_CLEAR = '\x1b[H\x1b[2J'
const SHOW_CURSOR = '\x1b[?25h'
const ENABLE_LINE_WRAP = '\x1b[?7h'
/** Size assumed when the terminal does not say (as cli-progress does). */
const DEFAULT_SIZE: ScreenSize = { columns: 80, rows: 24 }

/** The parts of a terminal stream the view uses (process.stderr on a terminal). */
export interface TerminalStream {
  isTTY: boolean
  columns: number
  rows: number
  write: (chunk: string) => boolean
  on: (event: 'resize', listener: () => void) => unknown
  off: (event: 'resize', listener: () => void) => unknown
}

interface LinePayload { line: string }

export class TerminalView {
  private readonly stream: TerminalStream
  private readonly frame: (size: ScreenSize) => string[]
  private multibar: cliProgress.MultiBar | null = null
  private bars: cliProgress.SingleBar[] = []
  private active = false
  private readonly onResize = (): void => this.redrawFromScratch()
  /** Gives the terminal back if the process ends without stop() (an uncaught error). */
  private readonly onExit = (): void => { this.stream.write(SHOW_CURSOR + ENABLE_LINE_WRAP + LEAVE_ALT_SCREEN) }

  constructor (stream: TerminalStream, frame: (size: ScreenSize) => string[]) {
    this.stream = stream
    this.frame = frame
  }

  get running (): boolean { return this.active }

  start (): void {
    if (this.active) return
    this.active = true
    this.stream.write(ENTER_ALT_SCREEN + HOME_AND_CLEAR)
    this.open()
    this.stream.on('resize', this.onResize)
    process.once('exit', this.onExit)
  }

  /** Draws a frame now, between the regular refreshes. */
  refresh (): void {
    if (this.multibar !== null) this.multibar.update()
  }

  /** Restores the cursor and line wrap and leaves the alternate screen. */
  stop (): void {
    if (!this.active) return
    this.active = false
    this.stream.off('resize', this.onResize)
    process.off('exit', this.onExit)
    this.close()
    this.stream.write(LEAVE_ALT_SCREEN)
  }

  size (): ScreenSize {
    return { columns: this.stream.columns > 0 ? this.stream.columns : DEFAULT_SIZE.columns, rows: this.stream.rows > 0 ? this.stream.rows : DEFAULT_SIZE.rows }
  }

  private open (): void {
    const multibar = new cliProgress.MultiBar({
      stream: this.stream as unknown as NodeJS.WritableStream,
      format: (_options, _params, payload: LinePayload) => payload.line,
      fps: REFRESH_FPS,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: true,
      gracefulExit: false
    })
    this.multibar = multibar
    this.bars = []
    // Each refresh renders the frame at that moment, then cli-progress draws it.
    multibar.on('update-pre', () => this.fill())
    this.fill()
    multibar.update()
  }

  private close (): void {
    this.multibar?.stop()
    this.multibar = null
    this.bars = []
  }

  /** A bar per line; bars beyond the frame (peers gone) draw as blank lines. */
  private fill (): void {
    const multibar = this.multibar
    if (multibar === null) return
    const lines = this.frame(this.size())
    while (this.bars.length < lines.length) this.bars.push(multibar.create(1, 0, { line: '' }))
    for (const [i, bar] of this.bars.entries()) bar.update(0, { line: lines[i] ?? '' })
  }

  /** After a resize the old lines may be cut or reflowed: start again on a clean screen,
   *  with no more bars than the new height holds. */
  private redrawFromScratch (): void {
    if (!this.active) return
    this.close()
    this.stream.write(HOME_AND_CLEAR)
    this.open()
  }
}
