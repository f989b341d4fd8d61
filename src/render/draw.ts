// Drawing: a layout turned into lines of text no longer than `width`.
//
//        time  client 10.0.0.1                          server 10.0.0.2   arrives
//              |                                                      |
//    0.000 ms  |--[SYN] seq=0 win=64240 ---------------------------->|  0.500 ms
//
// Column by column: the send time of each row; the lane between the two lifelines; and, for an arrow,
// the time its copy arrived. Arrows are drawn flat on the line of their send time, so every line is
// one instant and lines read top to bottom in time order; what the receiver did on arrival appears on
// a later line at the arrival time. The arrival column is left out when the width cannot spare it.
import { drawArrow } from './draw-arrow.js';
import { drawNote } from './draw-note.js';
import { formatIdle, formatTime } from './format-time.js';
import type { LadderLayout, LadderRow } from './types.js';
import { shorten } from './wrap.js';

/** The narrowest lane an arrow with a lost-mark and a third-host name still fits in. */
export const MIN_LANE = 36;
/** Below this lane width the arrival column is given up to keep labels on one line. */
const MIN_LANE_WITH_ARRIVALS = 44;

/** The requested width cannot hold this ladder. */
export class LadderWidthError extends RangeError {
  constructor(width: number, needed: number) {
    super(`width ${width} is too narrow for this ladder: it needs at least ${needed} columns`);
    this.name = 'LadderWidthError';
  }
}

function hostTitle(host: { name: string; address: string }): string {
  return host.name === host.address ? host.name : `${host.name} ${host.address}`;
}

/** Left title from the left lifeline's column, right title ending at the right lifeline's column. */
function titles(layout: LadderLayout, span: number): string {
  let left = hostTitle(layout.left);
  let right = hostTitle(layout.right);
  if (left.length + 1 + right.length > span) {
    const half = Math.floor((span - 1) / 2);
    left = shorten(left, half);
    right = shorten(right, span - 1 - left.length);
  }
  return left + right.padStart(span - left.length);
}

function center(text: string, lane: number): string {
  const before = Math.floor((lane - text.length) / 2);
  return (' '.repeat(Math.max(0, before)) + text).padEnd(lane);
}

export function drawLadder(layout: LadderLayout, width = 80): string {
  if (!Number.isInteger(width) || width <= 0) throw new RangeError(`width must be a positive integer, got ${width}`);
  const timed = layout.rows.filter((r): r is Exclude<LadderRow, { kind: 'gap' }> => r.kind !== 'gap');
  const timeWidth = Math.max(4, ...timed.map((r) => formatTime(r.t).length));
  const arrivals = timed.flatMap((r) => (r.kind === 'arrow' && r.arrival !== undefined ? [r.arrival] : []));
  const arrivalWidth = Math.max(7, ...arrivals.map((t) => formatTime(t).length));
  const bare = width - timeWidth - 4;
  const withArrivals = arrivals.length > 0 && bare - arrivalWidth - 2 >= MIN_LANE_WITH_ARRIVALS;
  const lane = withArrivals ? bare - arrivalWidth - 2 : bare;
  if (lane < MIN_LANE) throw new LadderWidthError(width, width - lane + MIN_LANE);

  const line = (time: string, left: string, middle: string, right: string, arrival = ''): string =>
    (
      `${time.padStart(timeWidth)}  ${left}${middle}${right}` +
      (withArrivals ? `  ${arrival.padStart(arrivalWidth)}` : '')
    ).trimEnd();
  const lifelines = line('', '|', ' '.repeat(lane), '|');

  const out = [line('time', '', titles(layout, lane + 2), '', 'arrives'), lifelines];
  for (const row of layout.rows) {
    if (row.kind === 'gap') {
      out.push(line('', '~', center(`~ ${formatIdle(row.idle)} later ~`, lane), '~'));
      continue;
    }
    const lanes = row.kind === 'arrow' ? drawArrow(row, lane) : drawNote(row.side, row.text, lane);
    const arrival = row.kind === 'arrow' && row.arrival !== undefined ? formatTime(row.arrival) : '';
    lanes.forEach((middle, i) => {
      out.push(i === 0 ? line(formatTime(row.t), '|', middle, '|', arrival) : line('', '|', middle, '|'));
    });
  }
  out.push(lifelines);
  return out.join('\n');
}
