// A trace with every string made printable (printable.ts), for the pictures drawn from it: the ladder, the
// summary, the SVG/HTML diagram and Mermaid all read the model built from this copy, so column widths are
// measured on the escaped text and no control character of a note, host name or call argument reaches the
// terminal or the page. The trace itself (and --json) keeps the strings as they were.
import type { Trace } from '../sim/trace.js';
import { isPrintableText, printable } from './printable.js';

/** True when some string inside `v` is not printable as it is (newlines count: inside a user string they are escaped). */
function needsEscape(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\n') || !isPrintableText(v);
  if (Array.isArray(v)) {
    for (const x of v) if (needsEscape(x)) return true;
    return false;
  }
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) if (needsEscape(x)) return true;
  }
  return false;
}

function escaped<T>(v: T): T {
  if (typeof v === 'string') return printable(v) as T;
  if (Array.isArray(v)) return v.map(escaped) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = escaped(x);
    return out as T;
  }
  return v;
}

/** The trace itself when all its strings are printable (the usual case: no copy), else a copy with them escaped. */
export function printableTrace(trace: Trace): Trace {
  if (!needsEscape(trace)) return trace;
  return {
    ...escaped({ ...trace, events: [] }),
    events: trace.events.map((ev) => (needsEscape(ev) ? escaped(ev) : ev)),
  };
}
