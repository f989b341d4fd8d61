// The terminal ladder diagram of a trace: two hosts as lifelines, time running down, one line per event.
// Layout (layout.ts) decides what is drawn from the trace alone; drawing (draw.ts) fits it into columns.
// How to read it is described at the top of draw.ts.
import type { Trace } from '../sim/trace.js';
import { drawLadder } from './draw.js';
import { layoutLadder } from './layout.js';
import type { LadderOptions } from './types.js';

export type { LadderOptions } from './types.js';
export { LadderWidthError } from './draw.js';

/** The ladder as text: lines joined by "\n", none longer than `opts.width` (default 80), no final newline. */
export function renderLadder(trace: Trace, opts: LadderOptions): string {
  return drawLadder(layoutLadder(trace, opts), opts.width ?? 80);
}
