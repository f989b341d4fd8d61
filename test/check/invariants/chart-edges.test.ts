// RFC 9293 3.3.2: every state change is an edge of the chart (src/tcp/transitions.ts).
import { describe, expect, it } from 'vitest';
import { chartEdges } from '../../../src/check/index.js';
import type { StateEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

describe('chart-edges', () => {
  it('holds on the echo trace', async () => {
    expect(chartEdges((await builtin('echo')).trace)).toEqual([]);
  });

  it('fails on a change the chart does not have (FIN_WAIT_1 + RCV_ACK_OF_FIN -> CLOSE_WAIT)', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'state' && e.from === 'FIN_WAIT_1' && e.to === 'FIN_WAIT_2');
    (trace.events[i] as StateEvent).to = 'CLOSE_WAIT';
    const v = chartEdges(trace);
    expect(v[0]!.events).toEqual([i]);
    expect(v[0]!.message).toContain('FIN_WAIT_1 + RCV_ACK_OF_FIN -> CLOSE_WAIT is not an edge of the chart (it goes to FIN_WAIT_2)');
  });

  it('fails when a socket leaves a state it was never in (a change missing)', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'state' && e.from === 'FIN_WAIT_1' && e.to === 'FIN_WAIT_2');
    trace.events.splice(i, 1);
    expect(chartEdges(trace).map((v) => v.message)).toEqual([expect.stringContaining('left FIN_WAIT_2 but was in FIN_WAIT_1')]);
  });
});
