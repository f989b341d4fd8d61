// The 'text' layout (ladder-frame.ts), for lanes too many to write labels between them: lifelines a few columns
// apart, each segment an arrow between its two lifelines (crossing others as '+'), each state change or call a
// '*' on its lifeline, and the words in the text area right of the lifelines:
//
//    1.000 ms  |   |   +-->|   [SYN] seq=0 win=64240
//              |   |   |   |     <mss=1460 sackOK TS wscale=7>
//    2.000 ms  |   |   |   *   client3:51330 SYN_RECEIVED
//    3.500 ms  |---X   |   |   [SYN] seq=0 win=64240 (lost: loss)
//
// A lost copy ends in X where it was lost: halfway for the link, next to the sender (no route), at the receiver
// (its TCP threw it away). A segment to its own sender (TCP self-connect) is an '@'.
import { lifelines, paste } from './canvas.js';
import type { Item, SegmentItem } from './diagram/types.js';
import { ascii } from './ascii.js';
import { formatIdle } from './format-time.js';
import type { LadderFrame } from './ladder-frame.js';
import { labelWords, noteWords, optionWordsOf } from './ladder-rows.js';
import type { LadderRow } from './types.js';
import { wrapWords } from './wrap.js';

/** The arrow of a segment on its line: lifelines, shaft, head or X. */
function arrowCells(frame: LadderFrame, item: SegmentItem): string[] {
  const cells = lifelines(frame);
  const x1 = frame.cols[item.from]!;
  const x2 = frame.cols[item.to]!;
  if (x1 === x2) {
    cells[x1] = '@';
    return cells;
  }
  const dir = x2 > x1 ? 1 : -1;
  let shaft = '';
  for (let x = x1 + dir; x !== x2; x += dir) shaft += '-';
  const chars = [...shaft];
  const last = chars.length - 1;
  const loss = item.loss;
  if (loss?.where === 'receiver') chars[last] = 'X';
  else if (loss?.where === 'sender') {
    chars.length = 1;
    chars[0] = 'X';
  } else if (loss) {
    const mid = Math.floor(last / 2);
    chars.length = mid + 1;
    chars[mid] = 'X';
  } else chars[last] = dir > 0 ? '>' : '<';
  const text = dir > 0 ? chars.join('') : [...chars].reverse().join('');
  paste(cells, dir > 0 ? x1 + 1 : x1 - chars.length, text, frame);
  return cells;
}

function words(item: Item): { first: string[]; more: string[] } {
  if (item.kind !== 'segment') return { first: noteWords(item).split(' '), more: [] };
  const lost = item.loss && item.loss.where !== 'receiver' ? `(lost: ${ascii(item.loss.reason)})`.split(' ') : [];
  return { first: [...labelWords(item), ...lost], more: optionWordsOf(item) };
}

/** A row's lines in the 'text' layout, body only. */
export function columnsRow(frame: LadderFrame, row: LadderRow): string[] {
  const { at, width, below } = frame.text;
  let cells: string[];
  let text: string[];
  if (row.kind === 'gap') {
    cells = lifelines(frame, '~');
    text = [`~ ${formatIdle(row.idle)} later ~`];
  } else {
    const item = row.item;
    if (item.kind === 'segment') {
      cells = arrowCells(frame, item);
    } else {
      cells = lifelines(frame);
      cells[frame.cols[item.lane]!] = '*';
    }
    const { first, more } = words(item);
    text = wrapWords(first, width, width - 2).map((line, i) => (i === 0 ? line : `  ${line}`));
    if (more.length > 0) text.push(...wrapWords(more, width - 2, width - 2).map((line) => `  ${line}`));
  }
  if (below) return [cells.join('').trimEnd(), ...text];
  const lines: string[] = [];
  text.forEach((line, i) => {
    const row = i === 0 ? cells : lifelines(frame);
    paste(row, at, line, frame);
    lines.push(row.join(''));
  });
  return lines;
}
