// Dev preview of the web app's state chart panel (web/src/statechart/), drawn under linkedom into a
// standalone SVG (its CSS inlined). Usage:
//   node --import tsx scripts/preview-statechart.ts [SCENARIO] [STEP] [light|dark] [OUT.svg]
// SCENARIO defaults to three-way-handshake, STEP (an event index) to the run's last state change,
// OUT to /tmp/statechart.svg. To look at it:
//   chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/sc.png --window-size=900,700 file:///tmp/statechart.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { select } from 'd3';
import { parseHTML } from 'linkedom';
import { findScenario, SCENARIOS } from '../src/scenarios/index.js';
import { stateChart } from '../web/src/statechart/chart.js';
import { statesAt } from '../web/src/statechart/states-at.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

async function main(): Promise<void> {
  const [name = 'three-way-handshake', stepArg, themeArg = 'light', out = '/tmp/statechart.svg'] = process.argv.slice(2);
  const scenario = findScenario(name);
  if (scenario === undefined) {
    throw new Error(`no scenario "${name}"; try one of: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  if (themeArg !== 'light' && themeArg !== 'dark') throw new Error(`theme must be light or dark, got "${themeArg}"`);
  const trace = await scenario.run({ profile: 'linux', seed: 1 });
  const lastState = trace.events.map((e) => e.kind).lastIndexOf('state');
  const step = stepArg === undefined || stepArg === '' ? lastState : Number(stepArg);
  if (!Number.isInteger(step)) throw new Error(`STEP must be an event index, got "${stepArg}"`);

  const at = statesAt(trace, step);
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  document.body.appendChild(svg);
  const chart = stateChart()
    .endpoints(at.sockets.map((s) => ({ label: s.label, state: s.state })))
    .lastEdge(at.edge === undefined ? undefined : { from: at.edge.from, to: at.edge.to, event: at.edge.cause })
    .theme(themeArg);
  select(svg as never).call(chart);
  const { width, height } = chart.layout();
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = readFileSync(fileURLToPath(new URL('../web/src/statechart/statechart.css', import.meta.url)), 'utf8');
  svg.insertBefore(style, svg.firstChild);
  writeFileSync(out, `${svg.outerHTML}\n`);
  console.log(`wrote ${out} (${name}, step ${step}: ${at.sockets.map((s) => `${s.label} ${s.state}`).join(', ')})`);
}

main().catch((err: unknown) => {
  console.error(`preview-statechart: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
