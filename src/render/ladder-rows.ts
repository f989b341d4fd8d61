// The ladder's rows: the model's items in time order, with a `~ N s later ~` row wherever nothing happened for
// `gap` µs (counted from the last send or arrival), and the words each row writes, in ASCII.
import { ascii } from './ascii.js';
import { arrowText, noteText, optionsText } from './diagram/positions.js';
import type { DiagramModel, Item, SegmentItem } from './diagram/types.js';
import type { Micros } from '../sim/trace.js';
import type { LadderRow } from './types.js';

export function ladderRows(model: DiagramModel, gap: Micros): LadderRow[] {
  const rows: LadderRow[] = [];
  let lastActivity: Micros | undefined;
  for (const item of model.items) {
    if (lastActivity !== undefined && item.t - lastActivity >= gap) rows.push({ kind: 'gap', idle: item.t - lastActivity });
    rows.push({ kind: 'item', item });
    lastActivity = Math.max(lastActivity ?? 0, item.t, item.kind === 'segment' ? (item.arrival ?? 0) : 0);
  }
  return rows;
}

/** A segment's label as words: "[SYN]", "seq=0", "win=64240", marks; "(reason)" when the receiver threw it away. */
export function labelWords(item: SegmentItem): string[] {
  const words = ascii(arrowText(item)).split(' ');
  if (item.loss?.where === 'receiver') words.push(...`(${ascii(item.loss.reason)})`.split(' '));
  if (item.from === item.to) words.push('(to', 'itself)');
  return words;
}

/** "<mss=1460 sackOK TS wscale=7>" as words, or none. */
export function optionWordsOf(item: SegmentItem): string[] {
  const text = ascii(optionsText(item));
  return text === '' ? [] : text.split(' ');
}

export function noteWords(item: Exclude<Item, SegmentItem>): string {
  return ascii(noteText(item));
}
