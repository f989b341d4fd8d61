// The sequence diagram in its scroll box: sequenceDiagram() (src/render/svg) drawn into the page's <svg>,
// only the rows near the visible part (virtual scrolling: a 10,000-segment run draws a screenful), the current
// row highlighted and kept in view. The lane titles (host, address:port) stay in view while scrolling down: a copy of
// the chart's lane heads in a small SVG stuck to the top of the scroll box (position: sticky), at the same x and
// scale. The chart's stylesheet is adopted by the document (the CSP allows no inline <style>).
import { select } from 'd3';
import { sequenceDiagram, type SequenceDiagram } from '../../../src/render/svg/sequence-diagram.js';
import { diagramCss } from '../../../src/render/svg/style.js';
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import type { Trace } from '../../../src/sim/trace.js';
import { perfMark } from '../app/perf-marks.js';

/** Pixels drawn above and below the visible part, so a quick scroll shows no gap. */
const MARGIN = 400;
/** A diagram wider than its box is shrunk to fit, down to this scale (then it scrolls sideways). */
const MIN_SCALE = 0.72;
/** Where the lane heads end when the chart draws no lifeline to say so (its lifelines start below the heads). */
const HEAD_HEIGHT = 44;
const SVG_NS = 'http://www.w3.org/2000/svg';

let styled = false;

/** The diagram's CSS as a constructed stylesheet: allowed by style-src 'self', unlike a <style> element. */
export function adoptDiagramCss(): void {
  if (styled) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(diagramCss());
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  styled = true;
}

export interface DiagramView {
  /** Draws a new trace; returns its model (rows). Throws if the trace cannot be drawn. */
  show(trace: Trace, violations: ReadonlyMap<number, readonly string[]>): DiagramModel;
  step(row: number | undefined, scroll: boolean): void;
  theme(theme: 'light' | 'dark'): void;
  clear(): void;
  chart(): SequenceDiagram;
}

/** The sticky copy of the lane heads: its box (first child of the scroll box) and its <svg>. */
export interface LaneHeads {
  box: HTMLElement;
  svg: SVGSVGElement;
}

export function diagramView(scroller: HTMLElement, svg: SVGSVGElement, heads: LaneHeads, onSelect: (row: number) => void): DiagramView {
  adoptDiagramCss();
  const chart = sequenceDiagram().theme('light').on('select', (row) => onSelect(row));
  let trace: Trace | undefined;
  let pending = false;
  /** Screen pixels per diagram pixel. */
  let k = 1;
  /** Each row's x in the diagram (middle of an arrow, a note's start), for scrolling sideways to it. */
  let rowX = new Map<number, number>();
  /** Height of the lane heads in diagram pixels. */
  let headHeight = HEAD_HEIGHT;

  /** Copies the chart's lane heads (g.lane > g.head, text only) into the sticky <svg>, the same classes and x. */
  const copyHeads = () => {
    const pos = chart.positions();
    if (!pos) return;
    const y1 = Number(svg.querySelector('.layer-lanes line.lifeline')?.getAttribute('y1'));
    headHeight = Number.isFinite(y1) && y1 > 0 ? y1 : HEAD_HEIGHT;
    const background = document.createElementNS(SVG_NS, 'rect');
    background.setAttribute('class', 'background');
    background.setAttribute('width', String(pos.width));
    background.setAttribute('height', String(headHeight));
    const layer = document.createElementNS(SVG_NS, 'g');
    layer.setAttribute('class', 'layer-lanes');
    for (const lane of svg.querySelectorAll('.layer-lanes g.lane')) {
      const copy = document.createElementNS(SVG_NS, 'g');
      copy.setAttribute('class', lane.getAttribute('class') ?? 'lane');
      copy.setAttribute('transform', lane.getAttribute('transform') ?? '');
      const head = lane.querySelector('g.head');
      if (head) copy.append(head.cloneNode(true));
      layer.append(copy);
    }
    heads.svg.setAttribute('viewBox', `0 0 ${pos.width} ${headHeight}`);
    heads.svg.replaceChildren(background, layer);
  };
  /** The heads' size follows the diagram's scale; the box overlaps the diagram's top (negative margin). */
  const fitHeads = () => {
    const pos = chart.positions();
    if (!pos) return;
    const h = Math.round(headHeight * k);
    heads.svg.style.width = `${Math.round(pos.width * k)}px`;
    heads.svg.style.height = `${h}px`;
    heads.box.style.marginBottom = `-${h}px`;
  };
  const themeHeads = () => heads.svg.setAttribute('class', svg.getAttribute('class') ?? 'synack-diagram');

  const viewport = (): [number, number] => [scroller.scrollTop / k - MARGIN, (scroller.scrollTop + scroller.clientHeight) / k + MARGIN];
  const fit = () => {
    const pos = chart.positions();
    if (!pos) return;
    k = Math.max(MIN_SCALE, Math.min(1, (scroller.clientWidth - 2) / pos.width));
    // CSSOM sizes (the CSP allows them) override the width/height attributes; the viewBox scales the drawing.
    svg.style.width = `${Math.round(pos.width * k)}px`;
    svg.style.height = `${Math.round(pos.height * k)}px`;
    fitHeads();
  };
  const draw = () => {
    if (!trace) return;
    chart.viewport(viewport());
    select(svg as SVGSVGElement).datum(trace).call(chart);
  };
  window.addEventListener('resize', () => {
    fit();
    draw();
  });
  scroller.addEventListener('scroll', () => {
    // A shadow under the heads once rows pass beneath them.
    heads.box.classList.toggle('stuck', scroller.scrollTop > 0);
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  });

  const scrollTo = (row: number) => {
    const rowY = chart.positions()?.rowY[row];
    if (rowY === undefined) return;
    const y = rowY * k;
    const top = scroller.scrollTop;
    const h = scroller.clientHeight;
    // Keep the row in the middle of the box; jump only when it has left it.
    if (y < top + h * 0.2 || y > top + h * 0.8) scroller.scrollTop = Math.max(0, y - h / 2);
    // Sideways too, when the diagram is wider than the box: the arrow's middle, or the note's lifeline.
    const x = rowX.get(row);
    if (x === undefined) return;
    const left = scroller.scrollLeft;
    const w = scroller.clientWidth;
    if (x * k < left + w * 0.15 || x * k > left + w * 0.85) scroller.scrollLeft = Math.max(0, x * k - w / 2);
  };

  return {
    show(next, violations) {
      trace = next;
      // Visible before drawing, so the fit to its width is measured.
      scroller.hidden = false;
      chart.violations(violations).step(undefined);
      scroller.scrollTop = 0;
      scroller.scrollLeft = 0;
      svg.replaceChildren();
      heads.box.classList.remove('stuck');
      k = 1;
      draw();
      copyHeads();
      themeHeads();
      const pos = chart.positions()!;
      rowX = new Map([...pos.arrows.map((a) => [a.row, (a.x1 + a.x2) / 2] as const), ...pos.notes.map((n) => [n.row, n.x] as const)]);
      fit();
      draw();
      perfMark('synack:diagram-drawn');
      return chart.model()!;
    },
    step(row, scroll) {
      chart.step(row);
      if (scroll && row !== undefined) scrollTo(row);
      draw();
    },
    theme(theme) {
      chart.theme(theme);
      draw();
      themeHeads();
    },
    clear() {
      trace = undefined;
      svg.replaceChildren();
      heads.svg.replaceChildren();
    },
    chart: () => chart,
  };
}
