import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { CLIENT, SERVER, laneOf, lineWith, makeTrace, segment, state } from './trace-builders.js';

const ATTACKER = { name: 'attacker', address: '10.0.0.66' };
const S = '10.0.0.2:80';
const A = '10.0.0.66:1234';
const SPOOFED = '192.0.2.7:999';
// A SYN flood on the server from the attacker's own address and from a spoofed one; the attacker also
// injects a RST at the client, and probes a host that is on no lifeline.
const flood = makeTrace(
  [
    state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
    segment(100, A, S, ['SYN'], 777, 0, { win: 1024 }),
    state(600, 'server', 2, S, 'LISTEN', 'SYN_RECEIVED', A),
    segment(600, S, A, ['SYN', 'ACK'], 4000, 778, { win: 65483 }),
    segment(700, SPOOFED, S, ['SYN'], 5, 0, { win: 1024 }),
    segment(1200, S, SPOOFED, ['SYN', 'ACK'], 8000, 6, {
      note: 'syncookie',
      fate: 'dropped',
      reason: 'no route to host',
      arrival: undefined,
    }),
    segment(1300, A, '10.0.0.1:40000', ['RST'], 12345, 0, { win: 0 }),
    segment(1400, A, '10.0.0.99:22', ['SYN'], 1, 0),
  ],
  [CLIENT, SERVER, ATTACKER],
);

describe('segments from and to hosts without a lifeline', () => {
  const ladder = renderLadder(flood, { left: 'client', right: 'server' });

  it('draws a SYN from the attacker into the server lifeline, the attacker named at the tail', () => {
    const lane = laneOf(lineWith(ladder, 'attacker --[SYN]'));
    expect(lane.startsWith(' attacker --[SYN] seq=0 win=1024 ')).toBe(true);
    expect(lane.endsWith('>')).toBe(true);
  });

  it("draws the server's answer out of the server lifeline towards the attacker, named at the head", () => {
    const lane = laneOf(lineWith(ladder, '[SYN,ACK] seq=0 ack=1 win=65483'));
    expect(lane.startsWith(' attacker <-[SYN,ACK] ')).toBe(true);
    expect(lane.endsWith('-')).toBe(true);
  });

  it('names a spoofed address that belongs to no host by the address', () => {
    expect(laneOf(lineWith(ladder, '192.0.2.7 --[SYN]')).endsWith('>')).toBe(true);
    const lost = laneOf(lineWith(ladder, 'no route'));
    expect(lost).toMatch(/^ 192\.0\.2\.7 +no route to host X-\[SYN,ACK\] seq=0 ack=1 /);
  });

  it('draws a RST injected at the client as arriving at the left lifeline', () => {
    const lane = laneOf(lineWith(ladder, '[RST]'));
    expect(lane.startsWith('<-[RST] seq=0 win=0 ')).toBe(true);
    expect(lane.endsWith(' attacker ')).toBe(true);
  });

  it('names the third host in the socket of the server it reached', () => {
    expect(laneOf(lineWith(ladder, 'SYN_RECEIVED')).endsWith(' :80<-attacker:1234 SYN_RECEIVED ')).toBe(true);
  });

  it('leaves out segments that touch neither lifeline', () => {
    expect(ladder).not.toContain('10.0.0.99');
    expect(ladder.split('\n').filter((l) => l.includes('[SYN]'))).toHaveLength(2);
  });
});
