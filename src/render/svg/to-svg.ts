// A trace as a standalone SVG document (synack run --svg, the images in docs/): the same chart as the web app,
// drawn into linkedom's DOM in Node, with the stylesheet embedded so the file renders anywhere, offline.
import { select } from 'd3';
import { parseHTML } from 'linkedom';
import type { Trace } from '../../sim/trace.js';
import { sequenceDiagram, type Theme } from './sequence-diagram.js';
import { diagramCss } from './style.js';

export interface SvgOptions {
  theme?: Theme;
  relative?: boolean;
  timers?: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The diagram as an <svg> element in a fresh document. */
export function diagramSvgElement(trace: Trace, options: SvgOptions = {}): SVGSVGElement {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = document.createElementNS(SVG_NS, 'svg') as unknown as SVGSVGElement;
  document.body.appendChild(svg as unknown as Node);
  const chart = sequenceDiagram()
    .theme(options.theme ?? 'light')
    .relative(options.relative ?? true)
    .timers(options.timers ?? true);
  select(svg).datum(trace).call(chart);
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = diagramCss();
  svg.insertBefore(style as unknown as Node, svg.firstChild);
  return svg;
}

/** The SVG file's text. */
export function renderSvg(trace: Trace, options: SvgOptions = {}): string {
  const svg = diagramSvgElement(trace, options);
  svg.setAttribute('xmlns', SVG_NS);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${(svg as unknown as Element).outerHTML}\n`;
}
