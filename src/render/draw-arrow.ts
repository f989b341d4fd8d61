// One arrow across the lane, as lines exactly `lane` characters wide (the lifelines are not included).
//   --[SYN] seq=0 win=64240 ------------->      rightward
//   <-[SYN,ACK] seq=0 ack=1 win=65483 ----      leftward
//   --[SYN] seq=0 win=64240 --X loss            dropped: ends in X before the receiver, with the reason
//        loss X-[SYN,ACK] seq=0 ack=1 --        dropped, leftward
//    mallory --[SYN] seq=0 win=1024 ------>     from a host that has no lifeline, named at the tail
//    mallory <-[RST] seq=1 win=0 ----------     to a host that has no lifeline, named at the head
// A label too long for one line continues on the next lines, aligned with its first line. A reason too
// long to sit after the X continues the label instead ("lost: fault: ..."), so it is never cut.
import type { ArrowRow } from './types.js';
import { shorten, wrapWords } from './wrap.js';

/** Dashes between the label and the arrow's head or tail, at least. */
const MIN_FILL = 2;
/** Blank columns kept between a lost arrow's reason and a third host's name. */
const LOST_GAP = 2;

export function drawArrow(row: ArrowRow, lane: number): string[] {
  const edgeMax = Math.max(4, Math.floor(lane / 5));
  const from = row.from === undefined ? '' : ` ${shorten(row.from, edgeMax)} `;
  const to = row.to === undefined ? '' : ` ${shorten(row.to, edgeMax)} `;
  const dashes = (n: number): string => '-'.repeat(Math.max(0, n));
  const inline = row.lost === undefined || row.lost.length <= Math.max(8, Math.floor(lane / 3));
  const label = inline ? row.label : [...row.label, 'lost:', ...(row.lost as string).split(' ')];
  /** What follows X on a lost arrow's line ("X loss"), or before it leftwards ("loss X"). */
  const mark = row.lost === undefined ? undefined : inline ? `X ${row.lost}` : 'X';

  if (row.direction === 'right') {
    // from--LABEL ----->to   or   from--LABEL --X reason      to
    const head = mark === undefined ? 1 : MIN_FILL + mark.length + (to ? LOST_GAP : 0);
    const indent = from.length + 2;
    const [first = '', ...more] = wrapWords(label, lane - indent - 1 - MIN_FILL - head - to.length, lane - indent - 1);
    const body = `${from}--${first} `;
    const line =
      mark === undefined
        ? `${body}${dashes(lane - body.length - 1 - to.length)}>${to}`
        : `${body}${dashes(MIN_FILL)}${mark}`.padEnd(lane - to.length) + to;
    return [line, ...more.map((text) => (' '.repeat(indent) + text).padEnd(lane))];
  }

  if (mark === undefined) {
    // to<-LABEL ------from
    const indent = to.length + 2;
    const [first = '', ...more] = wrapWords(label, lane - indent - 1 - MIN_FILL - from.length, lane - indent - 1);
    const line = `${to}<-${first} ${dashes(lane - indent - first.length - 1 - from.length)}${from}`;
    return [line, ...more.map((text) => (' '.repeat(indent) + text).padEnd(lane))];
  }

  // to     reason X-LABEL --from: the label ends at a fixed column, continuation lines end there too.
  const leftMark = inline ? `${row.lost} X` : 'X';
  const end = lane - from.length - MIN_FILL - 1;
  const [first = '', ...more] = wrapWords(
    label,
    end - to.length - (to ? LOST_GAP : 0) - leftMark.length - 1,
    end - to.length - 1,
  );
  const line = to + `${leftMark}-${first} ${dashes(MIN_FILL)}${from}`.padStart(lane - to.length);
  return [line, ...more.map((text) => text.padStart(end).padEnd(lane))];
}
