import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { call, laneOf, lineWith, makeTrace, segment, state, timer } from './trace-builders.js';

const S = '10.0.0.2:80';

describe('states, calls and timers against the lifelines', () => {
  // The client opens two connections to the server, so its lines name their ports.
  const twoConnections = makeTrace([
    state(0, 'client', 1, '10.0.0.1:40000', 'CLOSED', 'SYN_SENT', S),
    state(0, 'client', 2, '10.0.0.1:40001', 'CLOSED', 'SYN_SENT', S),
    call(5, 'client', 'connect', ['10.0.0.2:80'], 'ECONNREFUSED'),
    timer(1_000_000, 'client', '10.0.0.1:40001', 'retransmit', 'set'),
    timer(1_000_000, 'client', '10.0.0.1:40001', 'retransmit', 'fired'),
  ]);

  it('names the local and remote port of an actively opened socket when the host has several', () => {
    const ladder = renderLadder(twoConnections, { left: 'client', right: 'server' });
    expect(laneOf(lineWith(ladder, ':40001->')).trimEnd()).toBe(' :40001->:80 SYN_SENT');
    expect(laneOf(lineWith(ladder, ':40000->')).trimEnd()).toBe(' :40000->:80 SYN_SENT');
  });

  it('shows a failed call with its errno', () => {
    const ladder = renderLadder(twoConnections, { left: 'client', right: 'server' });
    expect(laneOf(lineWith(ladder, 'connect(')).trim()).toBe('connect(10.0.0.2:80) = ECONNREFUSED');
  });

  it('hides timers by default', () => {
    expect(renderLadder(twoConnections, { left: 'client', right: 'server' })).not.toContain('timer');
  });

  it('shows fired timers, not set ones, with the timers option', () => {
    const ladder = renderLadder(twoConnections, { left: 'client', right: 'server', timers: true });
    expect(laneOf(lineWith(ladder, 'timer')).trim()).toBe(':40001 retransmit timer fired');
  });

  it('draws events in time order even when the trace lists them out of order', () => {
    const shuffled = makeTrace([
      segment(2000, '10.0.0.2:80', '10.0.0.1:40000', ['SYN', 'ACK'], 9, 2),
      segment(0, '10.0.0.1:40000', '10.0.0.2:80', ['SYN'], 1, 0),
    ]);
    const lines = renderLadder(shuffled, { left: 'client', right: 'server' }).split('\n');
    expect(lines.findIndex((l) => l.includes('[SYN]'))).toBeLessThan(lines.findIndex((l) => l.includes('[SYN,ACK]')));
  });
});
