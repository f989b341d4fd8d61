// The terminal ladder diagram of a trace: one lifeline per endpoint (the lanes of the diagram model,
// src/render/diagram/), time running down, one line per event. The model decides what is drawn and with which
// words; ladder-rows.ts adds the idle gaps; drawing (draw.ts) fits it into columns.
import type { Trace } from '../sim/trace.js';
import { diagramModel } from './diagram/model.js';
import { drawLadder } from './draw.js';
import { ladderRows } from './ladder-rows.js';
import type { LadderOptions } from './types.js';

export type { LadderOptions } from './types.js';
export { LadderWidthError } from './ladder-frame.js';

const DEFAULT_GAP = 1_000_000;

/** The ladder as text: lines joined by "\n", none longer than `opts.width` (default 80), no final newline. */
export function renderLadder(trace: Trace, opts: LadderOptions = {}): string {
  const model = diagramModel(trace, { relative: opts.relative !== false, timers: opts.timers === true });
  return drawLadder(model, ladderRows(model, opts.gap ?? DEFAULT_GAP), opts.width ?? 80);
}
