// The table under a divergence: one connection's segments, A on the left and B on the right, each row
// holding the two segments that were compared (same direction, same position in that direction's
// stream), rows in time order. Columns are trimmed, in a fixed order, until the lines fit the width.
import { seconds, streams, type Divergence } from './diff.js';
import type { NormalSegment, Normalised } from './normalise.js';

interface Pair {
  from: string;
  index: number;
  a?: NormalSegment;
  b?: NormalSegment;
}

type Column = 'time' | 'dir' | 'flags' | 'seq' | 'ack' | 'len' | 'win' | 'options';

interface Layout {
  /** "->"/"<-" instead of both roles. */
  short: boolean;
  columns: Column[];
  /** Cut the options column to this many characters. */
  optionsMax: number;
  /** Spaces between columns. */
  gap: number;
  /** Cut each side to this many characters. */
  sideMax: number;
}

const HEADINGS: Record<Column, string> = { time: 'time', dir: 'from>to', flags: 'flags', seq: 'seq', ack: 'ack', len: 'len', win: 'win', options: 'options' };
const RIGHT_ALIGNED = new Set<Column>(['time', 'seq', 'ack', 'len', 'win']);
/** Which field of a divergence lives in which column. */
const FIELD_COLUMN: Partial<Record<Divergence['field'], Column>> = { flags: 'flags', seq: 'seq', ack: 'ack', len: 'len', win: 'win', options: 'options', time: 'time' };

/** The compared pairs of one connection, in time order (the earlier of the two segments of a pair). */
function pairsOf(a: Normalised, b: Normalised, conn: string): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const [side, n] of [['a', a], ['b', b]] as const) {
    for (const [from, list] of streams(n).get(conn) ?? []) {
      list.forEach((s, index) => {
        const key = `${from}\u0000${index}`;
        let pair = pairs.get(key);
        if (!pair) pairs.set(key, (pair = { from, index }));
        pair[side] = s;
      });
    }
  }
  const time = (p: Pair): number => Math.min(p.a?.t ?? Infinity, p.b?.t ?? Infinity);
  const frame = (p: Pair): number => p.a?.frame ?? p.b?.frame ?? 0;
  return [...pairs.values()].sort((x, y) => time(x) - time(y) || frame(x) - frame(y));
}

function cell(s: NormalSegment | undefined, column: Column, layout: Layout, initiator: string): string {
  if (!s) return column === 'flags' ? '(none)' : '';
  switch (column) {
    case 'time':
      return seconds(s.t);
    case 'dir':
      return layout.short ? (s.from === initiator ? '->' : '<-') : `${s.from}>${s.to}`;
    case 'flags':
      return s.retransmit ? `${s.flags}(rtx)` : s.flags;
    case 'seq':
      return String(s.seq);
    case 'ack':
      return s.ack === undefined ? '' : String(s.ack);
    case 'len':
      return String(s.len);
    case 'win':
      return s.win === undefined ? '' : String(s.win);
    case 'options': {
      const text = s.options;
      return text.length > layout.optionsMax ? `${text.slice(0, Math.max(0, layout.optionsMax - 1))}~` : text;
    }
  }
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}~`;
}

/** The legend of the arrows, the labels, the headings and the rows (the legend only with arrows). */
function render(pairs: Pair[], marked: number, field: Column | undefined, labels: [string, string], layout: Layout, initiator: string, conn: string): { legend?: string; lines: string[] } {
  const gap = ' '.repeat(layout.gap);
  const heading = (c: Column): string => (c === 'dir' && layout.short ? 'dir' : HEADINGS[c]);
  const sides = (['a', 'b'] as const).map((side) => {
    const rows = pairs.map((p, i) =>
      layout.columns.map((c) => {
        const text = cell(p[side], c, layout, initiator);
        return i === marked && c === field && p[side] ? `*${text}*` : text;
      }),
    );
    const widths = layout.columns.map((c, j) => Math.max(heading(c).length, ...rows.map((r) => r[j]!.length)));
    const line = (cells: string[]): string => cut(cells.map((t, j) => pad(t, widths[j]!, RIGHT_ALIGNED.has(layout.columns[j]!))).join(gap).trimEnd(), layout.sideMax);
    const width = Math.min(layout.sideMax, widths.reduce((sum, w) => sum + w, 0) + layout.gap * (widths.length - 1));
    return { heading: line(layout.columns.map(heading)), rows: rows.map(line), width };
  });
  const [left, right] = sides as [(typeof sides)[0], (typeof sides)[0]];
  const join = (marker: string, l: string, r: string): string => `${marker}${l.padEnd(left.width)} | ${r}`.trimEnd();
  const lines = [join('   ', cut(`A ${labels[0]}`, left.width), cut(`B ${labels[1]}`, right.width)), join('   ', left.heading, right.heading)];
  pairs.forEach((_, i) => lines.push(join(i === marked ? '>> ' : '   ', left.rows[i]!, right.rows[i]!)));
  const legend = layout.short && layout.columns.includes('dir') ? `   -> is ${conn.replace(/#\d+$/, '').replace('>', ' to ')}, <- the other way` : undefined;
  return { ...(legend !== undefined ? { legend } : {}), lines };
}

/** The side-by-side table of the divergence's connection: `context` rows before it and 2 after. */
export function sideBySide(a: Normalised, b: Normalised, d: Divergence, labels: [string, string], width: number, context: number): string[] {
  const all = pairsOf(a, b, d.conn);
  const at = Math.max(0, all.findIndex((p) => p.from === d.from && p.index === d.index));
  const first = Math.max(0, at - context);
  const pairs = all.slice(first, at + 3);
  const marked = at - first;
  const initiator = d.conn.replace(/#\d+$/, '').split('>')[0]!;
  const field = FIELD_COLUMN[d.field];
  const longestOptions = Math.max(0, ...pairs.flatMap((p) => [p.a?.options.length ?? 0, p.b?.options.length ?? 0]));
  // The window column only when a row has a SYN (the only segments whose window is compared).
  const anyWin = pairs.some((p) => p.a?.win !== undefined || p.b?.win !== undefined);
  const all8: Column[] = ['time', 'dir', 'flags', 'seq', 'ack', 'len', 'win', 'options'].filter((c) => c !== 'win' || anyWin) as Column[];
  const without = (...cs: Column[]): Column[] => all8.filter((c) => !cs.includes(c));
  const narrow = { short: true, optionsMax: 8, sideMax: Infinity };
  // Trimmed in this order: roles to arrows, no win, options cut shorter, no options, no len, one space
  // between columns, no direction; at last each side is cut to half the width.
  const layouts: Layout[] = [
    { short: false, columns: all8, optionsMax: Infinity, gap: 2, sideMax: Infinity },
    { short: true, columns: all8, optionsMax: Infinity, gap: 2, sideMax: Infinity },
    { short: true, columns: without('win'), optionsMax: Infinity, gap: 2, sideMax: Infinity },
    ...Array.from({ length: Math.max(0, longestOptions - 8) }, (_, i) => ({ ...narrow, columns: without('win'), optionsMax: longestOptions - 1 - i, gap: 2 })),
    { ...narrow, columns: without('win', 'options'), gap: 2 },
    { ...narrow, columns: without('win', 'options', 'len'), gap: 2 },
    { ...narrow, columns: without('win', 'options', 'len'), gap: 1 },
    { ...narrow, columns: without('win', 'options', 'len', 'dir'), gap: 1 },
    { ...narrow, columns: without('win', 'options', 'len', 'dir'), gap: 1, sideMax: Math.max(8, Math.floor((width - 6) / 2)) },
  ];
  for (const [i, layout] of layouts.entries()) {
    // The marked column stays even when trimming would drop it.
    const columns = field && !layout.columns.includes(field) ? all8.filter((c) => layout.columns.includes(c) || c === field) : layout.columns;
    const { legend, lines } = render(pairs, marked, field, labels, { ...layout, columns }, initiator, d.conn);
    if (lines.every((l) => l.length <= width) || i === layouts.length - 1) {
      return [...(legend !== undefined ? [cut(legend, width)] : []), ...lines.map((l) => cut(l, width))];
    }
  }
  return [];
}
