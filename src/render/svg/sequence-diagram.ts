// sequenceDiagram(): a reusable d3 chart (Mike Bostock's "towards reusable charts") that draws a trace as a TCP
// sequence diagram into the SVG element it is called on:
//
//   const chart = sequenceDiagram().theme('dark').step(4).on('select', (row) => …);
//   d3.select(svgElement).datum(trace).call(chart);
//
// Layout is pure (../diagram: model, then positions); this file only joins it to the DOM. Calling it again with
// the same trace only restyles and redraws what the viewport shows, so stepping and scrolling are cheap.
import { select, type Selection } from 'd3';
import type { Trace } from '../../sim/trace.js';
import { diagramModel } from '../diagram/model.js';
import { DEFAULT_SIZES, diagramPositions, type DiagramPositions } from '../diagram/positions.js';
import type { DiagramModel } from '../diagram/types.js';
import { drawArrows } from './draw-arrows.js';
import { drawAxis, drawBreaks, drawLanes } from './draw-lanes.js';
import { drawLegend } from './draw-legend.js';
import { drawNotes } from './draw-notes.js';
import { drawStateBars, drawTimerBars } from './draw-spans.js';
import type { DrawContext, G } from './types.js';

export type Theme = 'light' | 'dark' | 'auto';
export type SelectListener = (row: number, event: Event) => void;

export interface SequenceDiagram {
  (selection: Selection<SVGSVGElement, Trace, any, any>): void;
  /** The current row (an index into model().items): highlighted, the rows after it faded. undefined: none. */
  step(): number | undefined;
  step(row: number | undefined): SequenceDiagram;
  theme(): Theme;
  theme(theme: Theme): SequenceDiagram;
  /** Relative sequence numbers (default true). */
  relative(): boolean;
  relative(on: boolean): SequenceDiagram;
  /** Timer spans and fired-timer rows (default true). */
  timers(): boolean;
  timers(on: boolean): SequenceDiagram;
  /** Draw only what lies within [top, bottom] (pixels), for long runs; undefined draws everything. */
  viewport(): [number, number] | undefined;
  viewport(range: [number, number] | undefined): SequenceDiagram;
  /** Violations found by a replay: trace event index -> rule ids; those arrows are flagged. */
  violations(): ReadonlyMap<number, readonly string[]>;
  violations(map: ReadonlyMap<number, readonly string[]>): SequenceDiagram;
  /** A description for screen readers (the SVG's <title>); default "TCP sequence diagram of SCENARIO". */
  title(): string | undefined;
  title(text: string | undefined): SequenceDiagram;
  /** Called with the row and the DOM event when an arrow or note is clicked. */
  on(type: 'select', listener: SelectListener | undefined): SequenceDiagram;
  /** The model and positions of the last trace drawn. */
  model(): DiagramModel | undefined;
  positions(): DiagramPositions | undefined;
}

let instances = 0;

export function sequenceDiagram(): SequenceDiagram {
  const id = `synack-${++instances}`;
  let step: number | undefined;
  let theme: Theme = 'auto';
  let relative = true;
  let timers = true;
  let viewport: [number, number] | undefined;
  let violations: ReadonlyMap<number, readonly string[]> = new Map();
  let title: string | undefined;
  let onSelect: SelectListener | undefined;
  let cached: { trace: Trace; relative: boolean; timers: boolean; model: DiagramModel; pos: DiagramPositions } | undefined;

  const layout = (trace: Trace) => {
    if (!cached || cached.trace !== trace || cached.relative !== relative || cached.timers !== timers) {
      const model = diagramModel(trace, { relative, timers });
      cached = { trace, relative, timers, model, pos: diagramPositions(model) };
    }
    return cached;
  };

  const chart = ((selection: Selection<SVGSVGElement, Trace, any, any>) => {
    selection.each(function (trace) {
      const { model, pos } = layout(trace);
      const svg = select(this)
        .attr('class', `synack-diagram theme-${theme}`)
        .attr('viewBox', `0 0 ${pos.width} ${pos.height}`)
        .attr('width', pos.width)
        .attr('height', pos.height)
        .attr('role', 'img')
        .attr('aria-roledescription', 'TCP sequence diagram');
      svg
        .selectAll('title.diagram-title')
        .data([0])
        .join('title')
        .attr('class', 'diagram-title')
        .text(title ?? `TCP sequence diagram of ${model.scenario} (profile ${model.profile}, seed ${model.seed})`);
      svg
        .selectAll('rect.background')
        .data([0])
        .join('rect')
        .attr('class', 'background')
        .attr('width', pos.width)
        .attr('height', pos.height);
      const layer = (name: string): G =>
        svg.selectAll<SVGGElement, number>(`g.layer-${name}`).data([0]).join('g').attr('class', `layer-${name}`) as unknown as G;
      const ctx: DrawContext = {
        model,
        pos,
        id,
        violations,
        visible: viewport ? (y0, y1) => y1 >= viewport![0] && y0 <= viewport![1] : () => true,
      };
      const select_ = (row: number, event: Event) => onSelect?.(row, event);
      drawBreaks(layer('breaks'), ctx);
      drawLanes(layer('lanes'), ctx);
      drawAxis(layer('axis'), ctx);
      drawStateBars(layer('states'), ctx, DEFAULT_SIZES.trackWidth);
      drawTimerBars(layer('timers'), ctx);
      drawNotes(layer('notes'), ctx, select_);
      drawArrows(layer('arrows'), ctx, DEFAULT_SIZES.charWidth, select_);
      drawLegend(layer('legend'), ctx);
      // Playback: the current row highlighted, the rows after it faded.
      svg
        .selectAll<SVGGElement, { row: number }>('g.arrow, g.note')
        .classed('current', (d) => d.row === step)
        .classed('future', (d) => step !== undefined && d.row > step);
    });
  }) as SequenceDiagram;

  function accessor<T>(get: () => T, set: (v: T) => void) {
    return function (this: unknown, ...args: [T?]) {
      if (args.length === 0) return get();
      set(args[0] as T);
      return chart;
    } as never;
  }
  chart.step = accessor(() => step, (v) => (step = v));
  chart.theme = accessor(() => theme, (v) => (theme = v));
  chart.relative = accessor(() => relative, (v) => (relative = v));
  chart.timers = accessor(() => timers, (v) => (timers = v));
  chart.viewport = accessor(() => viewport, (v) => (viewport = v));
  chart.violations = accessor(() => violations, (v) => (violations = v));
  chart.title = accessor(() => title, (v) => (title = v));
  chart.on = (_type: 'select', listener: SelectListener | undefined) => {
    onSelect = listener;
    return chart;
  };
  chart.model = () => cached?.model;
  chart.positions = () => cached?.pos;
  return chart;
}
