// A trace as one self-contained HTML page (synack run --html): the diagram, a legend and the event list as text,
// with everything inline and a Content-Security-Policy that lets the page fetch nothing, so it opens offline and
// a hostile string in the scenario can only ever be text.
import { parseHTML } from 'linkedom';
import type { Trace } from '../../sim/trace.js';
import { diagramModel } from '../diagram/model.js';
import { printableTrace } from '../printable-trace.js';
import { eventList } from '../diagram/event-list.js';
import { STATE_COLOURS, diagramCss } from './style.js';
import { diagramSvgElement, type SvgOptions } from './to-svg.js';

const PAGE_CSS = `
body{margin:0;padding:16px 20px;font-family:system-ui,sans-serif;background:#fff;color:#1d2330}
@media (prefers-color-scheme:dark){body{background:#0f1419;color:#e6e9ef}}
h1{font-size:18px;margin:0 0 4px} p{margin:4px 0 12px;color:#5b6475}
.diagram{overflow:auto;border:1px solid #d5dae3}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;margin:10px 0;font:12px ui-monospace,monospace}
.legend span{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
table{border-collapse:collapse;font:12px ui-monospace,"DejaVu Sans Mono",monospace;margin-top:12px}
td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
@media print{body{background:#fff;color:#000}.diagram{overflow:visible;border:none}}
`;

export function renderHtml(trace: Trace, options: SvgOptions = {}): string {
  trace = printableTrace(trace); // the scenario's name is text in <title> and <h1>: printable (issue 10)
  const { document } = parseHTML('<!doctype html><html lang="en"><head></head><body></body></html>');
  const el = (tag: string, text?: string, attrs: Record<string, string> = {}) => {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  };
  const head = document.head;
  head.appendChild(el('meta', undefined, { charset: 'utf-8' }));
  head.appendChild(el('meta', undefined, { 'http-equiv': 'Content-Security-Policy', content: "default-src 'none'; style-src 'unsafe-inline'; img-src data:" }));
  head.appendChild(el('meta', undefined, { name: 'viewport', content: 'width=device-width, initial-scale=1' }));
  head.appendChild(el('title', `synack: ${trace.scenario}`));
  head.appendChild(el('style', PAGE_CSS + diagramCss()));

  const body = document.body;
  body.appendChild(el('h1', `${trace.scenario}`));
  body.appendChild(
    el('p', `Profile ${trace.profile}, seed ${trace.seed}. Time runs down; each arrow is a segment, sloping with its transit time; ✕ marks a lost segment; the coloured bars are each socket's TCP state. Hover an arrow for every header field.`),
  );
  const figure = el('div', undefined, { class: 'diagram' });
  const svg = diagramSvgElement(trace, { theme: 'auto', ...options });
  // The page's <style> holds the CSS; the SVG's own copy is not needed here.
  svg.querySelector('style')?.remove();
  figure.appendChild(svg as unknown as Node);
  body.appendChild(figure);

  const legend = el('div', undefined, { class: 'legend', 'aria-label': 'state colours' });
  for (const [state, colour] of Object.entries(STATE_COLOURS)) {
    const item = el('div');
    item.appendChild(el('span', undefined, { style: `background:${colour}` }));
    item.appendChild(document.createTextNode(state));
    legend.appendChild(item);
  }
  body.appendChild(legend);

  const model = diagramModel(trace, { relative: options.relative ?? true, timers: options.timers ?? true });
  const table = el('table');
  table.appendChild(el('caption', 'Every event, in order (the text alternative of the diagram)'));
  const header = el('tr');
  for (const h of ['time', 'where', 'what']) header.appendChild(el('th', h));
  table.appendChild(header);
  for (const line of eventList(model)) {
    const tr = el('tr');
    tr.appendChild(el('td', line.time));
    tr.appendChild(el('td', line.where));
    tr.appendChild(el('td', line.what));
    table.appendChild(tr);
  }
  body.appendChild(table);
  return `<!doctype html>\n${document.documentElement.outerHTML}\n`;
}
