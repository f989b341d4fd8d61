// The 'spans' layout (ladder-frame.ts): every label written on its arrow between the two lifelines it joins, every
// state change or call written beside its lifeline: in the span on its right, or for the rightmost lifeline in
// the span on its left, ending one column before it. With two lanes this is the classic ladder:
//
//    0.000 ms  |--[SYN] seq=0 win=64240 ---------------------------->|  0.500 ms
//              |  <mss=1460 sackOK TS wscale=7>                      |
import { ascii } from './ascii.js';
import { drawArrow } from './draw-arrow.js';
import { drawNote } from './draw-note.js';
import { lifelines, paste } from './canvas.js';
import type { Item, SegmentItem } from './diagram/types.js';
import { formatIdle } from './format-time.js';
import type { LadderFrame } from './ladder-frame.js';
import { labelWords, noteWords, optionWordsOf } from './ladder-rows.js';
import type { LadderRow } from './types.js';
import { wrapWords } from './wrap.js';

function center(text: string, width: number): string {
  const before = Math.floor((width - text.length) / 2);
  return (' '.repeat(Math.max(0, before)) + text).padEnd(width);
}

/** Lines of `text` pasted into the span between lifeline columns lo and hi, with `mark` at lane `marked`. */
function inSpan(frame: LadderFrame, lo: number, lines: string[], marked?: number, mark = '|'): string[] {
  return lines.map((line) => {
    const cells = lifelines(frame);
    if (marked !== undefined) cells[frame.cols[marked]!] = mark;
    paste(cells, lo + 1, line, frame);
    return cells.join('');
  });
}

/** The span a note of `lane` is written in, and on which side of it. */
function noteSpan(frame: LadderFrame, lane: number): { lo: number; hi: number; side: 'left' | 'right' } {
  const cols = frame.cols;
  if (lane < cols.length - 1) return { lo: cols[lane]!, hi: cols[lane + 1]!, side: 'left' };
  return { lo: cols[lane - 1]!, hi: cols[lane]!, side: 'right' };
}

function segmentLines(frame: LadderFrame, item: SegmentItem): string[] {
  const options = optionWordsOf(item);
  if (item.from === item.to) {
    // To itself (a TCP self-connect): written beside its lifeline, which is marked '@'.
    const { lo, hi, side } = noteSpan(frame, item.from);
    return inSpan(frame, lo, drawNote(side, [...labelWords(item), ...options].join(' '), hi - lo - 1), item.from, '@');
  }
  const lo = Math.min(frame.cols[item.from]!, frame.cols[item.to]!);
  const hi = Math.max(frame.cols[item.from]!, frame.cols[item.to]!);
  const span = hi - lo - 1;
  const direction = item.from < item.to ? 'right' : 'left';
  const lost = item.loss && item.loss.where !== 'receiver' ? ascii(item.loss.reason) : undefined;
  const lines = drawArrow({ direction, label: labelWords(item), ...(lost !== undefined ? { lost } : {}) }, span);
  if (item.loss?.where === 'receiver') {
    // It reached the receiver, whose TCP threw it away: the head is an X at the receiver's lifeline.
    const first = lines[0]!;
    lines[0] = direction === 'right' ? `${first.slice(0, -1)}X` : `X${first.slice(1)}`;
  }
  if (options.length > 0) lines.push(...wrapWords(options, span - 2, span - 2).map((text) => `  ${text}`.padEnd(span)));
  return inSpan(frame, lo, lines);
}

function noteLines(frame: LadderFrame, item: Exclude<Item, SegmentItem>): string[] {
  const { lo, hi, side } = noteSpan(frame, item.lane);
  return inSpan(frame, lo, drawNote(side, noteWords(item), hi - lo - 1));
}

/** A row's lines in the 'spans' layout, body only. */
export function spansRow(frame: LadderFrame, row: LadderRow): string[] {
  if (row.kind === 'gap') {
    const cols = frame.cols;
    const cells = lifelines(frame, '~');
    const text = center(`~ ${formatIdle(row.idle)} later ~`, cols[cols.length - 1]! - cols[0]! - 1);
    [...text].forEach((ch, j) => {
      if (ch !== ' ') cells[cols[0]! + 1 + j] = ch;
    });
    return [cells.join('')];
  }
  return row.item.kind === 'segment' ? segmentLines(frame, row.item) : noteLines(frame, row.item);
}
