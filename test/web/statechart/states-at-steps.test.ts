// statesAt (web/src/statechart/states-at.ts) while stepping through a long run: every row asks it, so the
// trace's state events are read once, and each call answers from them without reading the trace again.
import { describe, expect, it } from 'vitest';
import type { StateEvent, Trace, TraceEvent } from '../../../src/sim/trace.js';
import { CHECKPOINT_EVERY, statesAt } from '../../../web/src/statechart/states-at.js';

const CYCLE = ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED'];

/** Three client sockets going round CYCLE, one state event every third event among segments. */
function longRun(n: number): Trace {
  const events: TraceEvent[] = [];
  const state = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    if (i % 3 !== 0) {
      events.push({ t: i, kind: 'segment', id: i, src: '10.0.0.1:40000', dst: '10.0.0.2:80', flags: ['ACK'], seq: i, ack: 1, len: 0, win: 100, options: [], fate: 'delivered' });
      continue;
    }
    const socket = (i / 3) % 3;
    const from = state.get(socket) ?? 'CLOSED';
    const to = CYCLE[(CYCLE.indexOf(from) + 1) % CYCLE.length]!;
    state.set(socket, to);
    const ev: StateEvent = { t: i, kind: 'state', host: 'client', socket, endpoint: `10.0.0.1:${40000 + socket}`, from, to, cause: `step ${i}` };
    events.push(ev);
  }
  return { format: 'synack-trace', version: 1, scenario: 'long', profile: 'linux', seed: 1, hosts: [{ name: 'client', address: '10.0.0.1' }], events };
}

describe('statesAt on a run with many state events', () => {
  const run = longRun(30 * CHECKPOINT_EVERY);

  it('gives at every step each socket\'s latest state at or before it, and the edge only on a state event', () => {
    for (let step = -1; step < run.events.length; step++) {
      // The oracle: the last state event of each socket at or before the step, read straight off the trace.
      const latest = new Map<number, StateEvent>();
      for (let i = 0; i <= step; i++) {
        const ev = run.events[i]!;
        if (ev.kind === 'state') latest.set(ev.socket, ev);
      }
      const at = statesAt(run, step);
      expect(at.sockets.map((s) => [s.socket, s.state])).toEqual([...latest].map(([socket, ev]) => [socket, ev.to]));
      const ev = run.events[step];
      expect(at.edge).toEqual(ev?.kind === 'state' ? { key: `client#${ev.socket}`, label: `client :${40000 + ev.socket}`, from: ev.from, to: ev.to, cause: ev.cause } : undefined);
    }
  });

  it('reads the trace\'s events once, not at every step', () => {
    let reads = 0;
    const events = new Proxy(longRun(30 * CHECKPOINT_EVERY).events, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const watched: Trace = { ...run, events };
    statesAt(watched, 0);
    const first = reads;
    expect(first).toBeGreaterThanOrEqual(events.length); // the one pass
    for (let step = 0; step < events.length; step += 7) statesAt(watched, step);
    expect(reads).toBe(first);
  });

  it('reads them again when the event list is another one', () => {
    const t: Trace = { ...run, events: run.events.slice(0, 10) };
    expect(statesAt(t, 99).sockets.length).toBe(3);
    t.events = run.events.slice(0, 1);
    expect(statesAt(t, 99).sockets.length).toBe(1);
  });
});
