// Drawing the state chart (web/src/statechart/chart.ts) into a linkedom SVG: structure, badges,
// the taken edge, themes, updates in place, and user labels kept as text.
import { select } from 'd3';
import { parseHTML } from 'linkedom';
import { describe, expect, it, vi } from 'vitest';
import { TRANSITIONS } from '../../../src/tcp/transitions.js';
import { stateChart } from '../../../web/src/statechart/chart.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function newSvg() {
  const { document, window } = parseHTML('<!doctype html><html><body></body></html>');
  const svg = document.createElementNS(SVG_NS, 'svg');
  document.body.appendChild(svg);
  return { svg, document, window };
}

const STATES = new Set(TRANSITIONS.flatMap((t) => [t.from, t.to]));
const PAIRS = new Set(TRANSITIONS.map((t) => `${t.from}->${t.to}`));

describe('stateChart', () => {
  it('draws one g.node per state, each with a <title>, and one path per (from, to) edge', () => {
    const { svg } = newSvg();
    select(svg as never).call(stateChart());
    const nodes = Array.from(svg.querySelectorAll('g.node'));
    expect(nodes.map((n) => n.getAttribute('data-state')).sort()).toEqual([...STATES].sort());
    for (const n of nodes) expect(n.querySelector('title')?.textContent).toContain(n.getAttribute('data-state'));
    const edges = Array.from(svg.querySelectorAll('g.edge'));
    expect(edges.map((e) => e.getAttribute('data-key')).sort()).toEqual([...PAIRS].sort());
    expect(svg.querySelectorAll('g.edge > path').length).toBe(PAIRS.size);
  });

  it('is an image with a text alternative naming where the endpoints are', () => {
    const { svg } = newSvg();
    select(svg as never).call(stateChart().endpoints([{ label: 'client :53780', state: 'SYN_SENT' }]));
    expect(svg.getAttribute('role')).toBe('img');
    const title = svg.querySelector(':scope > title');
    expect(title?.textContent).toContain('client :53780 in SYN_SENT');
    expect(svg.getAttribute('aria-labelledby')).toBe(title?.getAttribute('id'));
  });

  it('puts a badge per endpoint on its state, several on a shared state, and marks those states occupied', () => {
    const { svg } = newSvg();
    const chart = stateChart().endpoints([
      { label: 'server :8898', state: 'LISTEN' },
      { label: 'client :53780', state: 'ESTABLISHED' },
      { label: 'server :8898<-53780', state: 'ESTABLISHED' },
    ]);
    select(svg as never).call(chart);
    const badges = Array.from(svg.querySelectorAll('g.badge'));
    expect(badges.map((b) => [b.getAttribute('data-state'), b.textContent])).toEqual([
      ['LISTEN', 'server :8898'],
      ['ESTABLISHED', 'client :53780'],
      ['ESTABLISHED', 'server :8898<-53780'],
    ]);
    const occupied = Array.from(svg.querySelectorAll('g.node.occupied')).map((n) => n.getAttribute('data-state'));
    expect(occupied.sort()).toEqual(['ESTABLISHED', 'LISTEN']);
    expect(svg.querySelector('g.node[data-state="ESTABLISHED"] title')?.textContent).toBe(
      'ESTABLISHED: client :53780, server :8898<-53780',
    );
  });

  it('folds badges past maxBadges into one "+N more"', () => {
    const { svg } = newSvg();
    const many = Array.from({ length: 6 }, (_, i) => ({ label: `client${i} :4000${i}`, state: 'ESTABLISHED' }));
    select(svg as never).call(stateChart().endpoints(many).maxBadges(3));
    const texts = Array.from(svg.querySelectorAll('g.badge')).map((b) => b.textContent);
    expect(texts).toEqual(['client0 :40000', 'client1 :40001', '+4 more']);
  });

  it('gives the last edge, and only it, the class taken, its label naming the event taken', () => {
    const { svg } = newSvg();
    select(svg as never).call(stateChart().lastEdge({ from: 'SYN_SENT', to: 'ESTABLISHED', event: 'RCV_SYN_ACK' }));
    const taken = Array.from(svg.querySelectorAll('g.edge.taken'));
    expect(taken.map((e) => e.getAttribute('data-key'))).toEqual(['SYN_SENT->ESTABLISHED']);
    const label = Array.from(svg.querySelectorAll('text.edge-label.taken'));
    expect(label.map((l) => l.textContent)).toEqual(['RCV_SYN_ACK']);
    // A quiet RST edge shows the event that was taken, not its default label.
    select(svg as never).call(stateChart().lastEdge({ from: 'ESTABLISHED', to: 'CLOSED', event: 'RCV_RST' }));
    expect(svg.querySelector('text.edge-label.taken')?.textContent).toBe('RCV_RST');
  });

  it('updates in place when called again: same node elements, badges and taken edge moved', () => {
    const { svg } = newSvg();
    const chart = stateChart()
      .endpoints([{ label: 'client :53780', state: 'SYN_SENT' }])
      .lastEdge({ from: 'CLOSED', to: 'SYN_SENT', event: 'ACTIVE_OPEN' });
    select(svg as never).call(chart);
    const before = svg.querySelector('g.node[data-state="ESTABLISHED"]');
    chart.endpoints([{ label: 'client :53780', state: 'ESTABLISHED' }]).lastEdge({ from: 'SYN_SENT', to: 'ESTABLISHED', event: 'RCV_SYN_ACK' });
    select(svg as never).call(chart);
    expect(svg.querySelector('g.node[data-state="ESTABLISHED"]')).toBe(before);
    expect(svg.querySelectorAll('g.node').length).toBe(STATES.size);
    expect(svg.querySelectorAll('g.edge').length).toBe(PAIRS.size);
    expect(svg.querySelectorAll('g.badge').length).toBe(1);
    expect(svg.querySelector('g.badge')?.getAttribute('data-state')).toBe('ESTABLISHED');
    expect(Array.from(svg.querySelectorAll('g.edge.taken')).map((e) => e.getAttribute('data-key'))).toEqual(['SYN_SENT->ESTABLISHED']);
    expect(svg.querySelectorAll(':scope > title').length).toBe(1);
    chart.lastEdge(undefined).endpoints([]);
    select(svg as never).call(chart);
    expect(svg.querySelectorAll('g.edge.taken').length).toBe(0);
    expect(svg.querySelectorAll('g.badge').length).toBe(0);
  });

  it('keeps a hostile endpoint label as text: no element is created from it', () => {
    const { svg } = newSvg();
    const hostile = '<img src=x onerror=alert(1)>';
    select(svg as never).call(stateChart().endpoints([{ label: hostile, state: 'LISTEN' }]));
    expect(svg.querySelectorAll('img').length).toBe(0);
    expect(svg.querySelector('g.badge text')?.textContent).toBe(hostile);
    expect(svg.querySelector(':scope > title')?.textContent).toContain(hostile);
    expect(svg.innerHTML).not.toContain('<img');
  });

  it('switches theme by class, with no inline style', () => {
    const { svg } = newSvg();
    const chart = stateChart().theme('dark');
    select(svg as never).call(chart);
    expect(svg.getAttribute('class')).toContain('sc-dark');
    chart.theme('light');
    select(svg as never).call(chart);
    expect(svg.getAttribute('class')).not.toContain('sc-dark');
    expect(svg.querySelectorAll('[style]').length).toBe(0);
    expect(() => chart.theme('blue' as never)).toThrow(/theme must be 'light' or 'dark'/);
  });

  it('reads back what its accessors were given', () => {
    const chart = stateChart();
    const marks = [{ label: 'a :1', state: 'LISTEN' }];
    expect(chart.endpoints(marks).endpoints()).toEqual(marks);
    expect(chart.lastEdge({ from: 'CLOSED', to: 'LISTEN', event: 'PASSIVE_OPEN' }).lastEdge()?.event).toBe('PASSIVE_OPEN');
    expect(chart.theme()).toBe('light');
  });

  it("reports a click on a state through .on('select')", () => {
    const { svg, window } = newSvg();
    const selected = vi.fn();
    select(svg as never).call(stateChart().on('select', selected));
    const node = svg.querySelector('g.node[data-state="LISTEN"]')!;
    node.dispatchEvent(new window.Event('click'));
    expect(selected).toHaveBeenCalledWith('LISTEN');
  });
});
