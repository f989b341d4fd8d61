// The diagram as text: one line per row, in time order. The text alternative of the picture (the HTML page's
// event list, the web app's list beside the diagram, the SVG's description).
import { formatTime } from '../format-time.js';
import { arrowText, noteText, optionsText } from './positions.js';
import type { DiagramModel, Item } from './types.js';

export interface EventLine {
  row: number;
  /** Trace event index. */
  index: number;
  time: string;
  /** "client 10.0.0.1:53780 -> server 10.0.0.2:8898", or the lane of a note. */
  where: string;
  what: string;
}

function laneName(model: DiagramModel, lane: number): string {
  const l = model.lanes[lane];
  if (!l) return '?';
  return l.subtitle ? `${l.title} ${l.subtitle}` : l.title;
}

function lineOf(model: DiagramModel, item: Item): Pick<EventLine, 'where' | 'what'> {
  if (item.kind === 'segment') {
    const where = `${laneName(model, item.from)} -> ${laneName(model, item.to)}`;
    const options = optionsText(item);
    const fate = item.loss
      ? `, LOST (${item.loss.reason})`
      : item.arrival !== undefined
        ? `, arrives ${formatTime(item.arrival)}`
        : '';
    return { where, what: `${arrowText(item)}${options ? ` ${options}` : ''}${fate}` };
  }
  const what = item.kind === 'state' ? `${item.who ? `${item.who} ` : ''}${item.from} -> ${item.to} (${item.cause})` : noteText(item);
  return { where: laneName(model, item.lane), what };
}

export function eventList(model: DiagramModel): EventLine[] {
  return model.items.map((item, row) => ({ row, index: item.index, time: formatTime(item.t), ...lineOf(model, item) }));
}
