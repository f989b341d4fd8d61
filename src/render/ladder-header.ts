// The lines above the first event: each lane's title (host name, then address and port), and the column names.
// Two lanes spread over the width share one line, as the classic ladder:
//        time  client 10.0.0.1:53780                  server 10.0.0.2:8898 listening   arrives
// More lanes get a line each, written from their own lifeline (or ending at it, when it is far right), so a title
// is never squeezed into a few columns:
//              client1 10.0.0.11:42564
//              |   client2 10.0.0.12:43690
//              |   |   server 10.0.0.2:9999 listening
//        time  |   |   |                                                     arrives
import { ascii } from './ascii.js';
import { lifelines } from './canvas.js';
import type { Lane } from './diagram/types.js';
import type { LadderFrame } from './ladder-frame.js';
import type { BodyLine } from './types.js';
import { shorten } from './wrap.js';

/** "client 10.0.0.1:53780", or when that does not fit "client:53780", cut to `max` if still too long. */
function title(lane: Lane, max: number): string {
  const full = ascii(`${lane.title} ${lane.subtitle}`.trim());
  if (full.length <= max) return full;
  const short = ascii(lane.kind === 'endpoint' ? lane.key : lane.title);
  return shorten(short, max);
}

/** Left title from the left lifeline's column, right title ending at the right lifeline's column. */
function pair(left: Lane, right: Lane, span: number): string {
  let a = title(left, span);
  let b = title(right, span);
  if (a.length + 1 + b.length > span) {
    const half = Math.floor((span - 1) / 2);
    a = title(left, half);
    b = title(right, span - 1 - a.length);
  }
  return a + b.padStart(span - a.length);
}

export function headerLines(frame: LadderFrame, lanes: readonly Lane[]): BodyLine[] {
  const arrives = frame.withArrivals ? { arrival: 'arrives' } : {};
  if (lanes.length === 0) return [{ time: 'time', body: '(no events)' }];
  if (frame.layout === 'spans' && lanes.length === 2) {
    return [
      { time: 'time', body: pair(lanes[0]!, lanes[1]!, frame.bodyWidth), ...arrives },
      { body: lifelines(frame).join('') },
    ];
  }
  // A title may run on into the arrival column: nothing else is on its line.
  const room = frame.width - frame.timeWidth - 2;
  const lines: BodyLine[] = lanes.map((lane, i) => {
    const x = frame.cols[i]!;
    const before = lifelines(frame, '|', (j) => j < i).join('');
    const full = title(lane, Number.POSITIVE_INFINITY);
    // A title too long to run on from its lifeline ends at it instead, when the span on its left holds it.
    const start = x + full.length > room && i > 0 && full.length <= x - frame.cols[i - 1]! - 2 ? x + 1 - full.length : x;
    return { body: before.slice(0, start) + (start === x ? title(lane, room - x) : full) };
  });
  lines.push({ time: 'time', body: lifelines(frame).join(''), ...arrives });
  return lines;
}
