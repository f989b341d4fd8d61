// Drawing: the ladder's rows turned into lines of text no longer than `width`, 7-bit ASCII only.
//
//        time  client 10.0.0.1:53780                  server 10.0.0.2:8898 listening   arrives
//              |                                                      |
//    0.000 ms  |--[SYN] seq=0 win=64240 ---------------------------->|  0.500 ms
//              |  <mss=1460 sackOK TS wscale=7>                      |
//
// Column by column: the send time of each row; the lifelines, one per lane of the diagram model (every endpoint,
// in the model's order) with the words between them or beside them (ladder-frame.ts decides which); and, for an
// arrow, the time its copy arrived. Arrows are drawn flat on the line of their send time, so every line is one
// instant and lines read top to bottom in time order; what the receiver did on arrival appears on a later line at
// the arrival time. The arrival column is left out when the width cannot spare it.
import type { DiagramModel } from './diagram/types.js';
import { columnsRow } from './draw-columns.js';
import { spansRow } from './draw-spans.js';
import { formatTime } from './format-time.js';
import { lifelines } from './canvas.js';
import { ladderFrame, type LadderFrame } from './ladder-frame.js';
import { headerLines } from './ladder-header.js';
import type { BodyLine, LadderRow } from './types.js';

function assemble(frame: LadderFrame, line: BodyLine): string {
  const time = (line.time ?? '').padStart(frame.timeWidth);
  if (frame.withArrivals && line.arrival !== undefined) {
    return `${time}  ${line.body.padEnd(frame.bodyWidth)}  ${line.arrival.padStart(frame.arrivalWidth)}`.trimEnd();
  }
  return `${time}  ${line.body}`.trimEnd();
}

export function drawLadder(model: DiagramModel, rows: readonly LadderRow[], width = 80): string {
  const items = rows.flatMap((r) => (r.kind === 'item' ? [r.item] : []));
  const arrivals = items.flatMap((item) => (item.kind === 'segment' && item.arrival !== undefined ? [item.arrival] : []));
  const frame = ladderFrame(
    model,
    items.map((item) => item.t),
    arrivals,
    width,
  );
  const out = headerLines(frame, model.lanes);
  for (const row of rows) {
    const bodies = frame.layout === 'spans' ? spansRow(frame, row) : columnsRow(frame, row);
    bodies.forEach((body, i) => {
      if (i > 0 || row.kind === 'gap') {
        out.push({ body });
        return;
      }
      const item = row.item;
      const arrival = item.kind === 'segment' && item.arrival !== undefined ? formatTime(item.arrival) : undefined;
      out.push({ time: formatTime(item.t), body, ...(arrival !== undefined ? { arrival } : {}) });
    });
  }
  if (model.lanes.length > 0) out.push({ body: lifelines(frame).join('') });
  return out.map((line) => assemble(frame, line)).join('\n');
}
