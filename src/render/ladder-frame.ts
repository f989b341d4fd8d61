// Where the ladder's columns go: the time column, one lifeline per lane, the text area, the arrival column.
//
// Two ways to fit the lanes into the width:
//  - 'spans': lifelines spread over the whole width and every label written on its arrow, between the two
//    lifelines it joins (two lanes always look like this when they fit: `|--[SYN] seq=0 win=64240 ---->|`);
//  - 'text': lifelines packed a few columns apart on the left, arrows drawn between them as `|--+-->|`, and every
//    label written in a text area on the right of the rightmost lifeline, on the same line (continuing on the next
//    lines); when even that area would be too narrow the text goes on the lines below instead ('below').
// Spans are used when every span between neighbours holds MIN_SPAN columns; the arrival column is kept only when
// the labels keep their room without it.
import type { DiagramModel } from './diagram/types.js';
import { formatTime } from './format-time.js';

/** The narrowest span between two lifelines that a label, a lost-mark and a note fit in. */
export const MIN_SPAN = 36;
/** Below this span the arrival column is given up to keep labels on one line. */
const MIN_SPAN_WITH_ARRIVALS = 44;
/** A text area that holds most labels on one line: lifelines are packed closer to keep it. */
const COMFORTABLE_TEXT = 44;
/** The narrowest text area beside the lifelines; narrower, the text goes below. */
const MIN_TEXT = 20;
/** Columns from one lifeline to the next in the 'text' layout, at most and at least. */
const MAX_STEP = 8;
const MIN_STEP = 2;
/** Fewest columns for text below the lifelines. */
const MIN_BELOW = 16;

/** The requested width cannot hold this ladder. */
export class LadderWidthError extends RangeError {
  constructor(width: number, needed: number) {
    super(`width ${width} is too narrow for this ladder: it needs at least ${needed} columns`);
    this.name = 'LadderWidthError';
  }
}

export interface LadderFrame {
  width: number;
  layout: 'spans' | 'text';
  timeWidth: number;
  arrivalWidth: number;
  withArrivals: boolean;
  /** Columns between the time column and the arrival column (all of them when there is none). */
  bodyWidth: number;
  /** Lifeline columns, from the start of the body. */
  cols: number[];
  /** 'text' layout: where the text area starts (from the start of the body) and how wide it is. */
  text: { at: number; width: number; below: boolean };
}

/** The longest formatted time, at least `least` wide. */
function widest(times: readonly number[], least: number): number {
  let w = least;
  for (const t of times) w = Math.max(w, formatTime(t).length);
  return w;
}

export function ladderFrame(model: DiagramModel, times: number[], arrivals: number[], width: number): LadderFrame {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  const n = model.lanes.length;
  // Loops, not Math.max(...xs): a spread of 125,000+ rows overflows the stack (issue 10).
  const timeWidth = widest(times, 4);
  const arrivalWidth = widest(arrivals, 7);
  const body = (withArrivals: boolean) => width - timeWidth - 2 - (withArrivals ? arrivalWidth + 2 : 0);
  const spread = (bodyWidth: number) => model.lanes.map((_l, i) => (n === 1 ? 0 : Math.round((i * (bodyWidth - 1)) / (n - 1))));
  const narrowest = (cols: number[]) => {
    let min = Infinity;
    for (let i = 1; i < cols.length; i++) min = Math.min(min, cols[i]! - cols[i - 1]! - 1);
    return min;
  };
  const base = { width, timeWidth, arrivalWidth, text: { at: 0, width: 0, below: false } };

  if (n >= 2) {
    for (const withArrivals of arrivals.length > 0 ? [true, false] : [false]) {
      const cols = spread(body(withArrivals));
      if (narrowest(cols) >= (withArrivals ? MIN_SPAN_WITH_ARRIVALS : MIN_SPAN)) {
        return { ...base, layout: 'spans', withArrivals, bodyWidth: body(withArrivals), cols };
      }
    }
  }

  const packed = (step: number) => model.lanes.map((_l, i) => i * step);
  const laneWidth = (step: number) => (n === 0 ? 0 : (n - 1) * step + 1);
  const beside = (withArrivals: boolean, step: number): LadderFrame => {
    const bodyWidth = body(withArrivals);
    const text = { at: laneWidth(step) + 2, width: bodyWidth - laneWidth(step) - 2, below: false };
    return { ...base, layout: 'text', withArrivals, bodyWidth, cols: packed(step), text };
  };
  // The widest step that leaves a comfortable text area, with the arrival column if it can stay; else the
  // narrowest step, without it.
  for (const withArrivals of arrivals.length > 0 ? [true, false] : [false]) {
    for (let step = MAX_STEP; step > MIN_STEP; step--) {
      const frame = beside(withArrivals, step);
      if (frame.text.width >= COMFORTABLE_TEXT) return frame;
    }
  }
  if (beside(false, MIN_STEP + 1).text.width >= MIN_TEXT) return beside(false, MIN_STEP + 1);
  const bodyWidth = body(false);
  const step = n <= 1 ? MIN_STEP : Math.max(MIN_STEP, Math.min(MAX_STEP, Math.floor((bodyWidth - 1) / (n - 1))));
  if (laneWidth(step) > bodyWidth || bodyWidth < MIN_BELOW) {
    throw new LadderWidthError(width, width - bodyWidth + Math.max(MIN_BELOW, laneWidth(MIN_STEP)));
  }
  return { ...base, layout: 'text', withArrivals: false, bodyWidth, cols: packed(step), text: { at: 0, width: bodyWidth, below: true } };
}
