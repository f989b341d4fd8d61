import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { call, laneOf, lineWith, makeTrace, segment, state, timer } from './trace-builders.js';

const S = '10.0.0.2:80';

describe('states, calls and timers against the lifelines', () => {
  // The client opens two connections from two ports: two endpoints, so two lifelines, each with one socket.
  const twoConnections = makeTrace([
    state(0, 'client', 1, '10.0.0.1:40000', 'CLOSED', 'SYN_SENT', S),
    state(0, 'client', 2, '10.0.0.1:40001', 'CLOSED', 'SYN_SENT', S),
    { ...call(5, 'client', 'connect', ['10.0.0.2:80'], 'ECONNREFUSED'), socket: 1 },
    { ...timer(1_000_000, 'client', '10.0.0.1:40001', 'retransmit', 'set'), socket: 2 },
    { ...timer(1_000_000, 'client', '10.0.0.1:40001', 'retransmit', 'fired'), socket: 2 },
  ]);
  const ladder = renderLadder(twoConnections);
  const lines = ladder.split('\n');

  it('gives each endpoint of the host its own lifeline, titled with its port', () => {
    expect(lines[0]).toMatch(/^ +time  client 10\.0\.0\.1:40000 +client 10\.0\.0\.1:40001$/);
  });

  it("writes each socket's state against its own lifeline, unprefixed", () => {
    const synSent = lines.filter((l) => l.includes('SYN_SENT')).map(laneOf);
    expect(synSent).toHaveLength(2);
    expect(synSent[0]).toMatch(/^ SYN_SENT +$/); // left lifeline: :40000
    expect(synSent[1]).toMatch(/^ +SYN_SENT $/); // right lifeline: :40001
  });

  it("shows a failed call with its errno against its socket's lifeline", () => {
    expect(laneOf(lineWith(ladder, 'connect('))).toMatch(/^ connect\(10\.0\.0\.2:80\) = ECONNREFUSED +$/);
  });

  it('hides timers by default', () => {
    expect(ladder).not.toContain('fired');
  });

  it('shows fired timers, not set ones, with the timers option, on their socket', () => {
    const withTimers = renderLadder(twoConnections, { timers: true });
    // The words are the diagram model's ("RTO fired"); here: one line, against the right lifeline.
    expect(laneOf(lineWith(withTimers, 'fired'))).toMatch(/^ +\S.* fired $/);
  });

  it('draws events in time order even when the trace lists them out of order', () => {
    const shuffled = makeTrace([
      segment(2000, '10.0.0.2:80', '10.0.0.1:40000', ['SYN', 'ACK'], 9, 2),
      segment(0, '10.0.0.1:40000', '10.0.0.2:80', ['SYN'], 1, 0),
    ]);
    const drawn = renderLadder(shuffled).split('\n');
    expect(drawn.findIndex((l) => l.includes('[SYN]'))).toBeLessThan(drawn.findIndex((l) => l.includes('[SYN,ACK]')));
  });
});
