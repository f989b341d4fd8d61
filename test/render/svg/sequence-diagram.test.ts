// The d3 chart under a DOM implementation (linkedom): structure, not byte snapshots.
import { select } from 'd3';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { sequenceDiagram } from '../../../src/render/svg/sequence-diagram.js';
import { renderSvg } from '../../../src/render/svg/to-svg.js';
import type { Trace } from '../../../src/sim/trace.js';
import { builtinTrace } from '../diagram/run-builtin.js';
import { CLIENT, makeTrace, segment, state } from '../trace-builders.js';

function draw(trace: Trace, configure: (c: ReturnType<typeof sequenceDiagram>) => void = () => {}) {
  const { document } = parseHTML('<!doctype html><html><body><svg></svg></body></html>');
  const svg = document.querySelector('svg') as unknown as SVGSVGElement;
  const chart = sequenceDiagram();
  configure(chart);
  select(svg).datum(trace).call(chart);
  return { svg: svg as unknown as Element, chart, document };
}

const segments = (t: Trace) => t.events.filter((e) => e.kind === 'segment' || e.kind === 'datagram');

describe('sequenceDiagram (SVG)', () => {
  it('draws an arrow per segment copy and a lane per endpoint, titled with host, address and port', async () => {
    const trace = await builtinTrace('backlog-overflow');
    const { svg } = draw(trace);
    expect(svg.querySelectorAll('g.arrow').length).toBe(segments(trace).length);
    const titles = [...svg.querySelectorAll('g.lane text.lane-title')].map((t) => t.textContent);
    expect(titles).toEqual(['client1', 'client2', 'client3', 'client4', 'server']);
    const subtitles = [...svg.querySelectorAll('g.lane text.lane-subtitle')].map((t) => t.textContent);
    expect(subtitles[4]).toBe('10.0.0.2:9999 listening');
    expect(subtitles[0]).toMatch(/^10\.0\.0\.11:\d+$/);
  });

  it('puts an ✕ on every lost copy, and none elsewhere', async () => {
    for (const name of ['lost-syn', 'backlog-overflow', 'syn-flood']) {
      const trace = await builtinTrace(name);
      const { svg } = draw(trace);
      const lost = segments(trace).filter((e) => e.fate === 'dropped' || (e.kind === 'segment' && e.discarded)).length;
      expect(lost).toBeGreaterThan(0);
      const crosses = [...svg.querySelectorAll('g.arrow path.cross')].filter((p) => p.getAttribute('d'));
      expect(crosses.length, name).toBe(lost);
      expect(svg.querySelectorAll('g.arrow.lost').length, name).toBe(lost);
    }
  });

  it('labels arrows with flags and numbers, SYN options underneath, and marks retransmissions', async () => {
    const { svg } = draw(await builtinTrace('lost-syn'));
    const labels = [...svg.querySelectorAll('g.arrow text.label')].map((t) => t.textContent);
    expect(labels[0]).toBe('[SYN] seq=0 win=64240');
    expect(labels[1]).toBe('[SYN] seq=0 win=64240 (rtx)');
    const options = [...svg.querySelectorAll('g.arrow text.options')].map((t) => t.textContent);
    expect(options[0]).toBe('<mss=1460 sackOK TS wscale=10>');
    expect(svg.querySelectorAll('g.arrow.rtx').length).toBe(1);
    expect(svg.querySelector('g.arrow.lost text.loss')?.textContent).toBe('fault: drop 1st SYN');
  });

  it('hover text gives absolute numbers and every option value', async () => {
    const trace = await builtinTrace('three-way-handshake');
    const { svg } = draw(trace);
    const first = segments(trace)[0]!;
    const title = svg.querySelector('g.arrow title')!.textContent!;
    expect(title).toContain(`seq: ${first.kind === 'segment' ? first.seq : ''}`);
    expect(title).toMatch(/TS val \d+ ecr 0/);
    expect(title).toContain('wscale 10');
  });

  it('shades lifelines by state and writes each change, calls with their result', async () => {
    const { svg } = draw(await builtinTrace('three-way-handshake'));
    expect(svg.querySelectorAll('rect.state-bar.state-ESTABLISHED').length).toBe(2);
    expect(svg.querySelectorAll('rect.state-bar.state-LISTEN').length).toBe(1);
    const notes = [...svg.querySelectorAll('g.note text')].map((t) => t.textContent);
    expect(notes).toContain('SYN_SENT');
    expect(notes.some((n) => /^connect\(10\.0\.0\.2:8898\) = from 10\.0\.0\.1:\d+$/.test(n ?? ''))).toBe(true);
    expect(notes.some((n) => /^accept\(\) = fd 4 from/.test(n ?? ''))).toBe(true);
  });

  it('draws timers as spans, TIME_WAIT across a break', async () => {
    const { svg } = draw(await builtinTrace('client-closes-first'));
    const titles = [...svg.querySelectorAll('g.timer title')].map((t) => t.textContent ?? '');
    expect(titles.some((t) => t.startsWith('TIME_WAIT timer (2MSL): armed at') && t.includes('fired at'))).toBe(true);
    expect(svg.querySelectorAll('g.break').length).toBeGreaterThan(0);
    const breaks = [...svg.querySelectorAll('g.break text')].map((t) => t.textContent);
    expect(breaks.some((b) => /^~ (59|60)\.\d\d s later ~$/.test(b ?? ''))).toBe(true);
  });

  it('failed calls are marked', async () => {
    const { svg } = draw(await builtinTrace('connection-refused'));
    const failed = [...svg.querySelectorAll('g.note.call.failed text')].map((t) => t.textContent);
    expect(failed.some((t) => t?.includes('ECONNREFUSED'))).toBe(true);
  });

  it('step(): the current row is highlighted and the rows after it faded', async () => {
    const { svg, chart } = draw(await builtinTrace('three-way-handshake'), (c) => c.step(5));
    const current = svg.querySelectorAll('.current');
    expect(current.length).toBe(1);
    expect(current[0]!.getAttribute('data-row')).toBe('5');
    const rows = chart.model()!.items.length;
    expect(svg.querySelectorAll('.future').length).toBe(rows - 6);
  });

  it('viewport(): only what intersects it is drawn', async () => {
    const trace = await builtinTrace('send-buffer-full');
    const all = draw(trace).svg.querySelectorAll('g.arrow').length;
    const { svg, chart } = draw(trace, (c) => c.viewport([0, 400]));
    const drawn = svg.querySelectorAll('g.arrow').length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(all / 4);
    const rowY = chart.positions()!.rowY;
    for (const g of svg.querySelectorAll('g.arrow')) expect(rowY[Number(g.getAttribute('data-row'))]!).toBeLessThan(400 + 200);
  });

  it('user strings are text, never markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const host = { name: `<script>alert(1)</script>`, address: '10.0.0.9' };
    const trace = makeTrace(
      [
        state(0, host.name, 1, '10.0.0.9:80', 'CLOSED', 'LISTEN'),
        segment(10, '10.0.0.1:40000', '10.0.0.9:80', ['SYN'], 1, 0, { note: evil }),
        { t: 20, kind: 'call', host: host.name, socket: 1, call: 'listen', args: [evil], result: 'ok' },
      ],
      [CLIENT, host],
    );
    const { svg } = draw(trace);
    expect(svg.querySelectorAll('script, img').length).toBe(0);
    const text = svg.textContent ?? '';
    expect(text).toContain(host.name);
    expect(text).toContain(evil);
    const file = renderSvg(trace);
    expect(file).not.toContain('<script>');
    expect(file).not.toContain('<img');
    expect(file).toContain('&lt;script&gt;');
  });

  it('renderSvg: a standalone SVG document with its stylesheet and a title', async () => {
    const text = renderSvg(await builtinTrace('three-way-handshake'));
    expect(text.startsWith('<?xml')).toBe(true);
    const { document } = parseHTML(text.replace(/^<\?xml[^>]*>\n/, ''));
    const root = document.querySelector('svg')!;
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.querySelector('style')!.textContent).toContain('.synack-diagram');
    expect(root.querySelector('title')!.textContent).toBe('TCP sequence diagram of three-way-handshake (profile linux, seed 1)');
    expect(root.getAttribute('role')).toBe('img');
  });
});
