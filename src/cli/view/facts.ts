// A line of facts that drops the least important ones first when the width runs out.

import { type Span, span, spansWidth } from './text.js'

export interface Fact {
  spans: Span[]
  /** 0 is kept longest. */
  priority: number
}

export const fact = (priority: number, ...spans: Span[]): Fact => ({ spans, priority })

/** The facts that fit in `width`, in their order, `separator` between them. The most
 *  important one is kept even if it alone is too wide (the line is cut after). */
export function fitFacts (facts: Fact[], width: number, separator = '  '): Span[] {
  let kept = facts.filter((f) => spansWidth(f.spans) > 0)
  while (kept.length > 1 && spansWidth(joinFacts(kept, separator)) > width) {
    const least = Math.max(...kept.map((f) => f.priority))
    const index = kept.map((f) => f.priority).lastIndexOf(least)
    kept = kept.filter((_, i) => i !== index)
  }
  return joinFacts(kept, separator)
}

export function joinFacts (facts: Fact[], separator = '  '): Span[] {
  return facts.flatMap((f, i) => i === 0 ? f.spans : [span(separator), ...f.spans])
}
