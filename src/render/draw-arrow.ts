// One arrow across the span between two lifelines, as lines exactly `lane` characters wide (the lifelines are
// not included).
//   --[SYN] seq=0 win=64240 ------------->      rightward
//   <-[SYN,ACK] seq=0 ack=1 win=65483 ----      leftward
//   --[SYN] seq=0 win=64240 --X loss            lost: ends in X before the receiver, with the reason
//        loss X-[SYN,ACK] seq=0 ack=1 --        lost, leftward
// A label too long for one line continues on the next lines, aligned with its first line. A reason too
// long to sit after the X continues the label instead ("lost: fault: ..."), so it is never cut.
import type { ArrowRow } from './types.js';
import { wrapWords } from './wrap.js';

/** Dashes between the label and the arrow's head or tail, at least. */
const MIN_FILL = 2;

export function drawArrow(row: ArrowRow, lane: number): string[] {
  const dashes = (n: number): string => '-'.repeat(Math.max(0, n));
  const inline = row.lost === undefined || row.lost.length <= Math.max(8, Math.floor(lane / 3));
  const label = inline ? row.label : [...row.label, 'lost:', ...(row.lost as string).split(' ')];
  /** What follows X on a lost arrow's line ("X loss"), or before it leftwards ("loss X"). */
  const mark = row.lost === undefined ? undefined : inline ? `X ${row.lost}` : 'X';

  if (row.direction === 'right') {
    // --LABEL ----->   or   --LABEL --X reason
    const head = mark === undefined ? 1 : MIN_FILL + mark.length;
    const [first = '', ...more] = wrapWords(label, lane - 3 - MIN_FILL - head, lane - 3);
    const body = `--${first} `;
    const line = mark === undefined ? `${body}${dashes(lane - body.length - 1)}>` : `${body}${dashes(MIN_FILL)}${mark}`.padEnd(lane);
    return [line, ...more.map((text) => `  ${text}`.padEnd(lane))];
  }

  if (mark === undefined) {
    // <-LABEL ------
    const [first = '', ...more] = wrapWords(label, lane - 3 - MIN_FILL, lane - 3);
    const line = `<-${first} ${dashes(lane - 2 - first.length - 1)}`;
    return [line, ...more.map((text) => `  ${text}`.padEnd(lane))];
  }

  // reason X-LABEL --: the label ends at a fixed column, continuation lines end there too.
  const leftMark = inline ? `${row.lost} X` : 'X';
  const end = lane - MIN_FILL - 1;
  const [first = '', ...more] = wrapWords(label, end - leftMark.length - 1, end - 1);
  const line = `${leftMark}-${first} ${dashes(MIN_FILL)}`.padStart(lane);
  return [line, ...more.map((text) => text.padStart(end).padEnd(lane))];
}
