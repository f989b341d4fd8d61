// Each diagram row in words, for the event list beside the diagram (its text alternative) and the inspector.
// Built from the diagram's model only, with the same words the diagram draws.
import { arrowText, noteText, optionsText } from '../../../src/render/diagram/positions.js';
import type { DiagramModel, Item, Lane } from '../../../src/render/diagram/types.js';
import { formatTime } from '../../../src/render/format-time.js';

/** Lane names: the host's name, with the port when the host has several lanes ("client :53780"). */
export function laneNames(lanes: readonly Lane[]): string[] {
  const perHost = new Map<string, number>();
  for (const l of lanes) perHost.set(l.title, (perHost.get(l.title) ?? 0) + 1);
  return lanes.map((l) => {
    if (l.kind !== 'endpoint' || (perHost.get(l.title) ?? 0) < 2) return l.title;
    const port = /:(\d+)$/.exec(l.key)?.[1];
    return port ? `${l.title} :${port}` : l.title;
  });
}

export interface EventText {
  time: string;
  /** "client → server" or "client" */
  who: string;
  what: string;
}

export function eventText(model: DiagramModel, names: readonly string[], item: Item, violations?: readonly string[]): EventText {
  const time = formatTime(item.t);
  if (item.kind === 'segment') {
    const parts = [arrowText(item)];
    const options = optionsText(item);
    if (options) parts.push(options);
    if (item.loss) parts.push(`✕ lost: ${item.loss.reason}`);
    // A replayed capture's arrows already carry "VIOLATION rule" among their marks; others get the rules here.
    const unmarked = (violations ?? []).filter((rule) => !item.marks.some((m) => m.includes(rule)));
    if (unmarked.length > 0) parts.push(`⚠ ${unmarked.join(', ')}`);
    return { time, who: `${names[item.from] ?? '?'} → ${names[item.to] ?? '?'}`, what: parts.join(' ') };
  }
  const who = names[item.lane] ?? '?';
  if (item.kind === 'state') return { time, who, what: `${item.who ? `${item.who} ` : ''}${item.from} → ${item.to}${item.cause ? ` (${item.cause})` : ''}` };
  return { time, who, what: noteText(item) };
}
