import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import type { TraceOption } from '../../src/sim/trace.js';
import { call, laneOf, lineWith, makeTrace, segment, state } from './trace-builders.js';

// Client ISN 1000, server ISN 5000: relative numbers are 0 for each SYN and 1 after. Both SYNs carry window
// scale options (client 7, server 8), so later windows are scaled (RFC 7323 2.2).
const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
const synOptions = (shift: number): TraceOption[] => [
  { kind: 'mss', mss: 1460 },
  { kind: 'sackPermitted' },
  { kind: 'timestamps', tsVal: 1, tsEcr: 0 },
  { kind: 'nop' },
  { kind: 'windowScale', shift },
];
const handshake = makeTrace([
  state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
  state(10, 'client', 3, C, 'CLOSED', 'SYN_SENT', S),
  segment(10, C, S, ['SYN'], 1000, 0, { options: synOptions(7) }),
  state(510, 'server', 2, S, 'LISTEN', 'SYN_RECEIVED', C),
  segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { win: 65483, options: synOptions(8) }),
  state(1010, 'client', 3, C, 'SYN_SENT', 'ESTABLISHED', S),
  segment(1010, C, S, ['ACK'], 1001, 5001, { win: 502 }),
  { ...call(1010, 'client', 'connect', ['10.0.0.2:80'], 'ok', 'from 10.0.0.1:40000'), socket: 3 },
  state(1510, 'server', 2, S, 'SYN_RECEIVED', 'ESTABLISHED', C),
  segment(1600, S, C, ['ACK'], 5001, 1001, { win: 255 }),
  { ...call(1600, 'server', 'accept', [], 'ok', 'fd 4 from 10.0.0.1:40000'), socket: 1 },
]);

describe('ladder of a three-way handshake', () => {
  const ladder = renderLadder(handshake);
  const lines = ladder.split('\n');

  it('names both endpoints with address and port in the header, the client on the left', () => {
    const header = lines[0] as string;
    expect(header).toMatch(/^ +time  client 10\.0\.0\.1:40000 +server 10\.0\.0\.2:80 listening +arrives$/);
  });

  it('draws the SYN from the left lifeline to the right one, without an ack', () => {
    const lane = laneOf(lineWith(ladder, '[SYN]'));
    expect(lane.startsWith('--[SYN] seq=0 win=64240 ')).toBe(true);
    expect(lane.endsWith('>')).toBe(true);
    expect(lane).not.toContain('ack=');
  });

  it("writes each SYN's options on the line under it", () => {
    const syn = lines.indexOf(lineWith(ladder, '[SYN]'));
    expect(laneOf(lines[syn + 1] as string).trim()).toBe('<mss=1460 sackOK TS wscale=7>');
    const synAck = lines.indexOf(lineWith(ladder, '[SYN,ACK]'));
    expect(laneOf(lines[synAck + 1] as string).trim()).toBe('<mss=1460 sackOK TS wscale=8>');
    expect(lines[syn + 1]).toMatch(/^ +\|/); // a continuation line: no time
  });

  it('draws the SYN-ACK from right to left with numbers relative to both ISNs, its window unscaled', () => {
    const lane = laneOf(lineWith(ladder, '[SYN,ACK]'));
    expect(lane.startsWith('<-[SYN,ACK] seq=0 ack=1 win=65483 ')).toBe(true);
    expect(lane.endsWith('-')).toBe(true);
  });

  it('draws the ACKs with their windows scaled by the sender shift (502 << 7, 255 << 8)', () => {
    const acks = lines.filter((l) => l.includes('[ACK]'));
    expect(laneOf(acks[0] as string).startsWith('--[ACK] seq=1 ack=1 win=64256 ')).toBe(true);
    expect(laneOf(acks[1] as string).startsWith('<-[ACK] seq=1 ack=1 win=65280 ')).toBe(true);
  });

  it('shows send time on the left and arrival time on the right of each arrow', () => {
    const syn = lineWith(ladder, '[SYN]');
    expect(syn.trimStart().startsWith('0.010 ms ')).toBe(true);
    expect(syn.endsWith(' 0.510 ms')).toBe(true);
  });

  it('keeps time order top to bottom', () => {
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('[SYN]')).toBeLessThan(at('[SYN,ACK]'));
    expect(at('[SYN,ACK]')).toBeLessThan(at('[ACK]'));
    expect(at('SYN_RECEIVED')).toBeLessThan(at('[SYN,ACK]'));
  });

  it("writes the client's states against the left lifeline, unprefixed (its lane has one socket)", () => {
    expect(laneOf(lineWith(ladder, 'SYN_SENT')).startsWith(' SYN_SENT')).toBe(true);
  });

  it("writes the server's states against the right lifeline, naming the socket (listener and child share the lane)", () => {
    expect(laneOf(lineWith(ladder, 'LISTEN')).endsWith(' listener LISTEN ')).toBe(true);
    expect(laneOf(lineWith(ladder, 'SYN_RECEIVED')).endsWith(' client:40000 SYN_RECEIVED ')).toBe(true);
  });

  it('shows calls compactly on their side', () => {
    expect(laneOf(lineWith(ladder, 'connect(')).startsWith(' connect(10.0.0.2:80) = from 10.0.0.1:40000')).toBe(true);
    expect(laneOf(lineWith(ladder, 'accept(')).endsWith(' accept() = fd 4 from 10.0.0.1:40000 ')).toBe(true);
  });

  it('fits in 80 columns by default, in printable ASCII', () => {
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe('ladder options', () => {
  it('shows absolute numbers when relative is false', () => {
    const ladder = renderLadder(handshake, { relative: false });
    expect(laneOf(lineWith(ladder, '[SYN,ACK]'))).toContain('seq=5000 ack=1001');
    expect(laneOf(lineWith(ladder, '[ACK] seq=1001'))).toContain('seq=1001 ack=5001');
  });

  it('puts the client on the left whatever order the trace lists the hosts in', () => {
    const swapped = { ...handshake, hosts: [...handshake.hosts].reverse() };
    const ladder = renderLadder(swapped);
    expect(ladder.split('\n')[0]).toMatch(/client .* server /);
    expect(laneOf(lineWith(ladder, '[SYN]')).startsWith('--[SYN]')).toBe(true);
  });
});
