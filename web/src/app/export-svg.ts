// The diagram as a standalone SVG file: the whole run drawn afresh (the page's own <svg> holds only what is on
// screen) with the chart's stylesheet embedded in a <style> element, so the file renders anywhere, offline.
import { select } from 'd3';
import { sequenceDiagram } from '../../../src/render/svg/sequence-diagram.js';
import { diagramCss } from '../../../src/render/svg/style.js';
import type { Trace } from '../../../src/sim/trace.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface ExportedSvg {
  text: string;
  width: number;
  height: number;
}

export function exportSvg(trace: Trace, violations: ReadonlyMap<number, readonly string[]>, theme: 'light' | 'dark'): ExportedSvg {
  const svg = document.createElementNS(SVG_NS, 'svg');
  const chart = sequenceDiagram().theme(theme).violations(violations);
  select(svg).datum(trace).call(chart);
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = diagramCss();
  svg.insertBefore(style, svg.firstChild);
  svg.setAttribute('xmlns', SVG_NS);
  const pos = chart.positions()!;
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`, width: pos.width, height: pos.height };
}
