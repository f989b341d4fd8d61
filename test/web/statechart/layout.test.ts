// The state chart's geometry (web/src/statechart/layout.ts): every state and edge of the machine,
// boxes apart, edges from box to box.
import { describe, expect, it } from 'vitest';
import { tcpMachine } from '../../../src/tcp/machine.js';
import { TRANSITIONS } from '../../../src/tcp/transitions.js';
import { layout, type LayoutNode } from '../../../web/src/statechart/layout.js';
import { pathEnds, samplePath, type Point } from './path-points.js';

const chart = layout();
const nodeOf = (state: string) => chart.nodes.find((n) => n.state === state)!;

/** Distance from p to the border of n's box (0 on the border). */
function toBorder(n: LayoutNode, p: Point): number {
  const dx = Math.max(n.x - n.w / 2 - p[0], 0, p[0] - (n.x + n.w / 2));
  const dy = Math.max(n.y - n.h / 2 - p[1], 0, p[1] - (n.y + n.h / 2));
  const outside = Math.hypot(dx, dy);
  if (outside > 0) return outside;
  return Math.min(p[0] - (n.x - n.w / 2), n.x + n.w / 2 - p[0], p[1] - (n.y - n.h / 2), n.y + n.h / 2 - p[1]);
}

function strictlyInside(n: LayoutNode, p: Point, margin = 1): boolean {
  return Math.abs(p[0] - n.x) < n.w / 2 - margin && Math.abs(p[1] - n.y) < n.h / 2 - margin;
}

describe('state chart layout', () => {
  it('has one node for every state of the xstate machine', () => {
    const states = Object.keys(tcpMachine.root.states).sort();
    expect(chart.nodes.map((n) => n.state).sort()).toEqual(states);
    for (const t of TRANSITIONS) {
      expect(states).toContain(t.from);
      expect(states).toContain(t.to);
    }
  });

  it('fails loudly for a state the position table lacks (a state added to the machine)', () => {
    expect(() => layout({ states: [...Object.keys(tcpMachine.root.states), 'SYN_FLOODED'], transitions: TRANSITIONS })).toThrow(
      /no position for state SYN_FLOODED/,
    );
  });

  it('has one edge per (from, to) pair of TRANSITIONS, carrying all its events', () => {
    const pairs = new Map<string, string[]>();
    for (const t of TRANSITIONS) pairs.set(`${t.from}->${t.to}`, [...(pairs.get(`${t.from}->${t.to}`) ?? []), t.event]);
    expect(chart.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual([...pairs.keys()].sort());
    for (const e of chart.edges) expect([...e.events].sort()).toEqual([...pairs.get(`${e.from}->${e.to}`)!].sort());
  });

  it('marks an edge figure when figure 5 draws one of its events, else text or linux', () => {
    const edge = (from: string, to: string) => chart.edges.find((e) => e.from === from && e.to === to)!;
    expect(edge('SYN_SENT', 'ESTABLISHED').origin).toBe('figure');
    // LAST_ACK -> CLOSED: rcv ACK of FIN is in the figure, RST/ABORT only in the text.
    expect(edge('LAST_ACK', 'CLOSED').origin).toBe('figure');
    expect(edge('LAST_ACK', 'CLOSED').label).toBe('RCV_ACK_OF_FIN');
    expect(edge('ESTABLISHED', 'CLOSED').origin).toBe('text');
    expect(edge('TIME_WAIT', 'TIME_WAIT').origin).toBe('text');
  });

  it('draws the self-loop TIME_WAIT + RCV_FIN as a loop on TIME_WAIT', () => {
    const loop = chart.edges.find((e) => e.from === 'TIME_WAIT' && e.to === 'TIME_WAIT')!;
    expect(loop.events).toEqual(['RCV_FIN']);
    const { start, end } = pathEnds(loop.path);
    expect(start).not.toEqual(end);
  });

  it('keeps the figure 5 arrangement: CLOSED on top, ESTABLISHED central, active close left, passive close right', () => {
    const y = (s: string) => nodeOf(s).y;
    const x = (s: string) => nodeOf(s).x;
    expect(Math.min(...chart.nodes.map((n) => n.y))).toBe(y('CLOSED'));
    expect(y('CLOSED')).toBeLessThan(y('LISTEN'));
    expect(y('LISTEN')).toBeLessThan(y('SYN_SENT'));
    expect(y('SYN_SENT')).toBeLessThan(y('ESTABLISHED'));
    expect(x('SYN_RECEIVED')).toBeLessThan(x('ESTABLISHED'));
    expect(x('SYN_SENT')).toBeGreaterThan(x('ESTABLISHED'));
    for (const s of ['FIN_WAIT_1', 'FIN_WAIT_2']) expect(x(s)).toBeLessThan(x('ESTABLISHED'));
    for (const s of ['CLOSE_WAIT', 'LAST_ACK']) expect(x(s)).toBeGreaterThan(x('ESTABLISHED'));
    expect(y('FIN_WAIT_1')).toBeLessThan(y('FIN_WAIT_2'));
    expect(y('CLOSE_WAIT')).toBeLessThan(y('LAST_ACK'));
    expect(Math.max(...chart.nodes.map((n) => n.y))).toBe(y('TIME_WAIT'));
  });

  it('puts no two node boxes over each other, and all inside the canvas', () => {
    for (const a of chart.nodes) {
      expect(a.x - a.w / 2).toBeGreaterThanOrEqual(0);
      expect(a.y - a.h / 2).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w / 2).toBeLessThanOrEqual(chart.width);
      expect(a.y + a.h / 2).toBeLessThanOrEqual(chart.height);
      // Badges are right-aligned at badgeX: room for one to its left, inside the canvas.
      expect(a.badgeX).toBeGreaterThan(120);
      expect(a.badgeX).toBeLessThanOrEqual(chart.width);
      for (const b of chart.nodes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.w + b.w) / 2 + 8 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2 + 8;
        expect(apart, `${a.state} and ${b.state} overlap`).toBe(true);
      }
    }
  });

  it('starts every edge on its from-box border and ends it on its to-box border', () => {
    for (const e of chart.edges) {
      const { start, end } = pathEnds(e.path);
      expect(Math.abs(toBorder(nodeOf(e.from), start)), `${e.key} start ${start}`).toBeLessThan(0.6);
      expect(Math.abs(toBorder(nodeOf(e.to), end)), `${e.key} end ${end}`).toBeLessThan(0.6);
    }
  });

  it('routes no edge through a third state box, and keeps paths and labels on the canvas', () => {
    for (const e of chart.edges) {
      for (const p of samplePath(e.path)) {
        expect(p[0] >= 0 && p[0] <= chart.width && p[1] >= 0 && p[1] <= chart.height, `${e.key} leaves the canvas at ${p}`).toBe(true);
        for (const n of chart.nodes) {
          if (n.state === e.from || n.state === e.to) continue;
          expect(strictlyInside(n, p), `${e.key} crosses ${n.state} at ${p}`).toBe(false);
        }
      }
      expect(e.labelX).toBeGreaterThan(0);
      expect(e.labelX).toBeLessThan(chart.width);
      expect(e.labelY).toBeGreaterThan(0);
      expect(e.labelY).toBeLessThan(chart.height);
    }
  });

  it('is pure: the same input gives the same layout', () => {
    expect(layout()).toEqual(chart);
  });
});
