// The model -> positions: x of every lifeline, y of every row, each arrow's ends and label, state bars, timer
// spans, breaks and time ticks. Pure arithmetic on a monospace font, so it is exact without a DOM and the same
// in Node (synack run --svg) and in the browser.
import type { Micros } from '../../sim/trace.js';
import { formatIdle, formatTime } from '../format-time.js';
import { legendLayout, type LegendEntry } from './legend.js';
import { timeScale, type TimeBreak } from './time-scale.js';
import type { DiagramModel, Item, Lane, SegmentItem, StateSpan, TimerSpan } from './types.js';

export interface DiagramSizes {
  fontSize: number;
  /** Advance of one character of the monospace font, in pixels. */
  charWidth: number;
  rowHeight: number;
  /** Height of the lane titles above the first row. */
  header: number;
  /** Width of the time axis on the left. */
  axis: number;
  laneMin: number;
  laneMax: number;
  trackPitch: number;
  trackWidth: number;
  /** Vertical pixels for the typical transit time: how steeply arrows slope. */
  transitPx: number;
  breakAfter: number;
  breakHeight: number;
  minGap: number;
}

export const DEFAULT_SIZES: DiagramSizes = {
  fontSize: 11,
  charWidth: 6.63,
  rowHeight: 18,
  header: 62,
  axis: 86,
  laneMin: 210,
  laneMax: 520,
  trackPitch: 10,
  trackWidth: 8,
  transitPx: 40,
  breakAfter: 150,
  breakHeight: 30,
  minGap: 4,
};

export interface ArrowPosition {
  item: SegmentItem;
  row: number;
  x1: number;
  y1: number;
  /** Where the arrow ends: the receiver, or the point of loss. */
  x2: number;
  y2: number;
  /** The arrow did not arrive: an ✕ at (x2, y2). */
  lost: boolean;
  label: { x: number; y: number; angle: number; anchor: 'start' | 'end'; text: string; options: string };
}

export interface NotePosition {
  item: Exclude<Item, SegmentItem>;
  row: number;
  x: number;
  y: number;
  text: string;
  /** The note is written rightwards from x ('start') or ends at x ('end'). */
  anchor: 'start' | 'end';
}

export interface BarPosition<T> {
  span: T;
  x: number;
  y0: number;
  y1: number;
}

export interface DiagramPositions {
  width: number;
  /** Right edge of the time axis labels. */
  axis: number;
  height: number;
  lanes: Array<{ lane: Lane; x: number }>;
  /** y of every row (model.items order). */
  rowY: number[];
  arrows: ArrowPosition[];
  notes: NotePosition[];
  stateBars: Array<BarPosition<StateSpan>>;
  timerBars: Array<BarPosition<TimerSpan>>;
  breaks: Array<TimeBreak & { text: string }>;
  /** The key: state swatches and marks, with their places. */
  legend: Array<LegendEntry & { y: number }>;
  ticks: Array<{ t: Micros; y: number; text: string }>;
  /** The bottom of the last row. */
  bottom: number;
}

/** Height of a line of the key under the diagram. */
const LEGEND_LINE = 18;

/** Steepest arrow (degrees) whose label is drawn along it; steeper ones get level labels. */
const MAX_LABEL_ANGLE = 10;

/** Distance from a lifeline to the end of a note written on its left (past the timer spans). */
const LEFT_NOTE_OFFSET = 30;

const TIMER_ORDER = ['retransmit', 'synAck', 'delayedAck', 'persist', 'finWait2', 'timeWait'];

/** "[SYN,ACK] seq=0 ack=1 win=65160 (rtx)" */
export function arrowText(item: SegmentItem): string {
  const head = item.proto === 'udp' ? 'UDP' : `[${item.flags}]`;
  return [head, ...item.numbers, ...item.marks.map((m) => `(${m})`)].join(' ');
}

/** "<mss=1460 sackOK TS wscale=7>" for a SYN with options, else "". */
export function optionsText(item: SegmentItem): string {
  return item.options.length > 0 ? `<${item.options.join(' ')}>` : '';
}

/** A state or call row's words. */
export function noteText(item: Exclude<Item, SegmentItem>): string {
  switch (item.kind) {
    case 'state':
      return item.who ? `${item.who} ${item.to}` : item.to;
    case 'call':
      return item.text;
    case 'timer':
      return item.text;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

export function diagramPositions(model: DiagramModel, sizes: DiagramSizes = DEFAULT_SIZES): DiagramPositions {
  const s = sizes;
  const textWidth = (text: string) => text.length * s.charWidth;
  const n = model.lanes.length;
  const barsWidth = (lane: Lane) => Math.max(1, lane.tracks) * s.trackPitch;

  // Notes go on the side of a lifeline that fewer arrows leave from or arrive at: a client's on its left, a
  // server's on its right, so state names and calls do not sit on top of the arrows.
  const traffic = model.lanes.map(() => ({ left: 0, right: 0 }));
  for (const item of model.items) {
    if (item.kind !== 'segment' || item.from === item.to) continue;
    const [lo, hi] = item.from < item.to ? [item.from, item.to] : [item.to, item.from];
    traffic[lo]!.right++;
    traffic[hi]!.left++;
  }
  const noteSide: Array<'left' | 'right'> = traffic.map((t) => (t.right > t.left ? 'left' : 'right'));

  // Lane spacing: room for the labels of arrows between neighbours and the notes written beside each lifeline.
  const need = new Array<number>(Math.max(0, n - 1)).fill(s.laneMin);
  let firstNotes = 0;
  let lastNotes = 0;
  for (const item of model.items) {
    if (item.kind === 'segment') {
      const lo = Math.min(item.from, item.to);
      const hi = Math.max(item.from, item.to);
      if (hi - lo === 1) need[lo] = Math.max(need[lo]!, Math.max(textWidth(arrowText(item)), textWidth(optionsText(item))) + 48);
    } else {
      const lane = item.lane;
      const text = Math.min(textWidth(noteText(item)), 60 * s.charWidth);
      if (noteSide[lane] === 'right') {
        const w = barsWidth(model.lanes[lane]!) + 10 + text + 16;
        if (lane < n - 1) need[lane] = Math.max(need[lane]!, w);
        else lastNotes = Math.max(lastNotes, w);
      } else {
        const w = LEFT_NOTE_OFFSET + text + 16;
        if (lane > 0) need[lane - 1] = Math.max(need[lane - 1]!, w + s.trackPitch);
        else firstNotes = Math.max(firstNotes, w);
      }
    }
  }
  // Lane titles are centred on their lifeline: neighbours' halves must fit between them.
  const halfTitle = model.lanes.map((l) => (Math.max(l.title.length * 1.1, l.subtitle.length) * s.charWidth) / 2 + 8);
  const xs: number[] = [];
  let x = Math.max(s.axis + 24 + firstNotes, halfTitle[0] ?? 0);
  for (let i = 0; i < n; i++) {
    xs.push(x);
    x += Math.max(clamp(need[i] ?? 0, s.laneMin, s.laneMax), (halfTitle[i] ?? 0) + (halfTitle[i + 1] ?? 0));
  }
  const width = Math.ceil((xs[n - 1] ?? x) + Math.max(lastNotes, halfTitle[n - 1] ?? 0, 60) + 16);

  // Instants: every row's time, every arrival and every point of loss.
  const instants = new Map<Micros, number>();
  for (const item of model.items) instants.set(item.t, (instants.get(item.t) ?? 0) + 1);
  for (const item of model.items) {
    if (item.kind !== 'segment') continue;
    const end = item.loss?.t ?? item.arrival;
    if (end !== undefined && !instants.has(end)) instants.set(end, 0);
  }
  const pxPerMicro = s.transitPx / (model.transit > 0 ? model.transit : 1000);
  const scale = timeScale(instants, {
    pxPerMicro,
    rowHeight: s.rowHeight,
    breakAfter: s.breakAfter,
    breakHeight: s.breakHeight,
    minGap: s.minGap,
    top: s.header + 14,
  });

  const rowY: number[] = [];
  const arrows: ArrowPosition[] = [];
  const notes: NotePosition[] = [];
  let lastT = Number.NaN;
  let row = 0;
  model.items.forEach((item, i) => {
    row = item.t === lastT ? row + 1 : 0;
    lastT = item.t;
    const y = scale.y(item.t, row) + s.rowHeight / 2;
    rowY.push(y);
    if (item.kind === 'segment') {
      const x1 = xs[item.from]!;
      const xTo = xs[item.to]!;
      const dir = xTo >= x1 ? 1 : -1;
      let x2 = xTo;
      let y2 = item.arrival !== undefined ? Math.max(y, scale.y(item.arrival) + s.rowHeight / 2) : y;
      let lost = false;
      if (item.loss?.where === 'link') {
        x2 = x1 + (xTo - x1) / 2;
        y2 = Math.max(y, scale.y(item.loss.t) + s.rowHeight / 2);
        lost = true;
      } else if (item.loss?.where === 'sender') {
        x2 = x1 + dir * 28;
        y2 = y;
        lost = true;
      } else if (item.loss?.where === 'receiver') {
        lost = true;
      }
      if (item.from === item.to) {
        // To itself (a TCP self-connect): a small loop out to the right.
        x2 = x1 + 2;
      }
      // Labels run along gentle arrows, as in the textbooks; where arrows are steep (many rows between send and
      // arrival) rotated labels would climb over their neighbours, so they stay level there.
      const slope = (Math.atan2(y2 - y, Math.abs(xTo - x1) || 1) * 180) / Math.PI;
      const angle = slope <= MAX_LABEL_ANGLE ? (Math.atan2(y2 - y, (x2 - x1) * dir || 1) * 180) / Math.PI * dir : 0;
      arrows.push({
        item,
        row: i,
        x1,
        y1: y,
        x2,
        y2,
        lost,
        // A level label has rows close above and below: the options go on its own line, not under it.
        label:
          angle === 0 && optionsText(item)
            ? { x: x1 + dir * 14, y, angle, anchor: dir > 0 ? 'start' : 'end', text: `${arrowText(item)} ${optionsText(item)}`, options: '' }
            : { x: x1 + dir * 14, y, angle, anchor: dir > 0 ? 'start' : 'end', text: arrowText(item), options: optionsText(item) },
      });
    } else {
      const lane = model.lanes[item.lane]!;
      const side = noteSide[item.lane]!;
      const nx = side === 'right' ? xs[item.lane]! - s.trackWidth / 2 + barsWidth(lane) + 8 : xs[item.lane]! - LEFT_NOTE_OFFSET;
      notes.push({ item, row: i, x: nx, y, text: noteText(item), anchor: side === 'right' ? 'start' : 'end' });
    }
  });

  const stateBars = model.states.map((span) => ({
    span,
    x: xs[span.lane]! - s.trackWidth / 2 + span.track * s.trackPitch,
    y0: scale.y(span.from) + s.rowHeight / 2,
    y1: Math.max(scale.y(span.from) + s.rowHeight / 2, scale.y(span.to) + s.rowHeight / 2),
  }));
  const timerBars = model.timers.map((span) => ({
    span,
    x: xs[span.lane]! - s.trackWidth / 2 - 4 - 3 * Math.max(0, TIMER_ORDER.indexOf(span.timer)),
    y0: scale.y(span.from) + s.rowHeight / 2,
    y1: Math.max(scale.y(span.from) + s.rowHeight / 2, scale.y(span.to) + s.rowHeight / 2),
  }));

  // Ticks: the time of each instant that has rows, skipping those too close to the one above.
  const ticks: DiagramPositions['ticks'] = [];
  let lastY = Number.NEGATIVE_INFINITY;
  for (const inst of scale.instants) {
    if (inst.rows === 0) continue;
    const y = inst.y + s.rowHeight / 2;
    if (y - lastY < s.rowHeight) continue;
    ticks.push({ t: inst.t, y, text: formatTime(inst.t) });
    lastY = y;
  }
  const breaks = scale.breaks.map((b) => ({ ...b, text: `${formatIdle(b.t1 - b.t0)} later` }));
  const legend = legendLayout([...new Set(model.states.map((span) => span.state))], width - 16, s.charWidth);
  const legendLines = legend.length > 0 ? legend[legend.length - 1]!.line + 1 : 0;
  const legendTop = scale.bottom + 28 + 12;
  const height = Math.ceil(legendTop + legendLines * LEGEND_LINE + 8);
  return { width, axis: s.axis, height, legend: legend.map((e) => ({ ...e, x: 8 + e.x, y: legendTop + e.line * LEGEND_LINE })), lanes: model.lanes.map((lane, i) => ({ lane, x: xs[i]! })), rowY, arrows, notes, stateBars, timerBars, breaks, ticks, bottom: scale.bottom };
}
