import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { call, laneOf, lineWith, makeTrace, segment, state } from './trace-builders.js';

// Client ISN 1000, server ISN 5000: relative numbers are 0 for each SYN and 1 after.
const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
const handshake = makeTrace([
  state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
  state(10, 'client', 3, C, 'CLOSED', 'SYN_SENT', S),
  segment(10, C, S, ['SYN'], 1000, 0),
  state(510, 'server', 2, S, 'LISTEN', 'SYN_RECEIVED', C),
  segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { win: 65483 }),
  state(1010, 'client', 3, C, 'SYN_SENT', 'ESTABLISHED', S),
  segment(1010, C, S, ['ACK'], 1001, 5001, { win: 502 }),
  call(1010, 'client', 'connect', ['10.0.0.2:80'], 'ok'),
  state(1510, 'server', 2, S, 'SYN_RECEIVED', 'ESTABLISHED', C),
  call(1600, 'server', 'accept', [], 'ok', 'fd 4 from 10.0.0.1:40000'),
]);

describe('ladder of a three-way handshake', () => {
  const ladder = renderLadder(handshake, { left: 'client', right: 'server' });
  const lines = ladder.split('\n');

  it('names both hosts with their addresses in the header, client on the left', () => {
    const header = lines[0] as string;
    expect(header).toContain('client 10.0.0.1');
    expect(header).toContain('server 10.0.0.2');
    expect(header.indexOf('client')).toBeLessThan(header.indexOf('server'));
  });

  it('draws the SYN from the left lifeline to the right one, without an ack', () => {
    const lane = laneOf(lineWith(ladder, '[SYN]'));
    expect(lane.startsWith('--[SYN] seq=0 win=64240 ')).toBe(true);
    expect(lane.endsWith('>')).toBe(true);
    expect(lane).not.toContain('ack=');
  });

  it('draws the SYN-ACK from right to left with numbers relative to both ISNs', () => {
    const lane = laneOf(lineWith(ladder, '[SYN,ACK]'));
    expect(lane.startsWith('<-[SYN,ACK] seq=0 ack=1 win=65483 ')).toBe(true);
    expect(lane.endsWith('-')).toBe(true);
  });

  it('draws the final ACK with seq=1 ack=1', () => {
    const lane = laneOf(lineWith(ladder, '[ACK]'));
    expect(lane.startsWith('--[ACK] seq=1 ack=1 win=502 ')).toBe(true);
    expect(lane.endsWith('>')).toBe(true);
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

  it("writes the client's states against the left lifeline, without ports (it has one socket)", () => {
    expect(laneOf(lineWith(ladder, 'SYN_SENT')).startsWith(' SYN_SENT')).toBe(true);
    expect(ladder).not.toContain(':40000 SYN_SENT');
  });

  it("writes the server's states against the right lifeline, with ports (listener and child)", () => {
    expect(laneOf(lineWith(ladder, 'LISTEN')).endsWith(' :80 LISTEN ')).toBe(true);
    expect(laneOf(lineWith(ladder, 'SYN_RECEIVED')).endsWith(' :80<-:40000 SYN_RECEIVED ')).toBe(true);
  });

  it('shows calls compactly on their host side', () => {
    expect(laneOf(lineWith(ladder, 'connect(')).startsWith(' connect(10.0.0.2:80) = ok')).toBe(true);
    expect(laneOf(lineWith(ladder, 'accept(')).endsWith(' accept() = fd 4 from 10.0.0.1:40000 ')).toBe(true);
  });

  it('fits in 80 columns by default', () => {
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('ladder options', () => {
  it('shows absolute numbers when relative is false', () => {
    const ladder = renderLadder(handshake, { left: 'client', right: 'server', relative: false });
    expect(laneOf(lineWith(ladder, '[SYN,ACK]'))).toContain('seq=5000 ack=1001');
    expect(laneOf(lineWith(ladder, '[ACK]'))).toContain('seq=1001 ack=5001');
  });

  it('accepts addresses for the lifelines', () => {
    const ladder = renderLadder(handshake, { left: '10.0.0.1', right: '10.0.0.2' });
    expect(laneOf(lineWith(ladder, '[SYN]')).startsWith('--[SYN]')).toBe(true);
  });

  it('points the arrows the other way when the lifelines are swapped', () => {
    const ladder = renderLadder(handshake, { left: 'server', right: 'client' });
    expect(laneOf(lineWith(ladder, '[SYN]')).startsWith('<-[SYN]')).toBe(true);
    expect(laneOf(lineWith(ladder, '[SYN,ACK]')).endsWith('>')).toBe(true);
    expect(laneOf(lineWith(ladder, 'SYN_SENT')).endsWith(' SYN_SENT ')).toBe(true);
  });

  it('refuses an unknown host, naming the hosts the trace has', () => {
    expect(() => renderLadder(handshake, { left: 'client', right: 'db' })).toThrow(
      /no host "db".*client \(10\.0\.0\.1\), server \(10\.0\.0\.2\)/,
    );
  });

  it('refuses the same host on both sides', () => {
    expect(() => renderLadder(handshake, { left: 'client', right: '10.0.0.1' })).toThrow(/different hosts/);
  });
});
