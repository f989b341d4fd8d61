import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { arrowText, laneOf, lineWith, makeTrace, segment, state } from './trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
// The first SYN is lost; the client retransmits it after the 1 s initial RTO; the first SYN-ACK is
// dropped by a fault; the server retransmits it, and one copy of that is duplicated.
const lostSyn = makeTrace([
  state(0, 'client', 1, C, 'CLOSED', 'SYN_SENT', S),
  segment(0, C, S, ['SYN'], 300, 0, { fate: 'dropped', reason: 'loss', arrival: undefined }),
  segment(1_000_000, C, S, ['SYN'], 300, 0, { retransmit: true }),
  segment(1_000_500, S, C, ['SYN', 'ACK'], 900, 301, { fate: 'dropped', reason: 'fault: drop SYN-ACK', arrival: undefined }),
  segment(1_200_500, S, C, ['SYN', 'ACK'], 900, 301, { retransmit: true }),
  segment(1_200_500, S, C, ['SYN', 'ACK'], 900, 301, { retransmit: true, fate: 'duplicated', arrival: 1_201_700 }),
]);

describe('ladder of a lost SYN and its retransmission', () => {
  const ladder = renderLadder(lostSyn);
  const lines = ladder.split('\n');
  const synLines = lines.filter((l) => l.includes('[SYN]'));

  it('marks the dropped SYN with X and the reason, short of the receiver', () => {
    const lane = laneOf(synLines[0] as string);
    expect(lane.startsWith('--[SYN] seq=0 win=64240 ')).toBe(true);
    expect(lane).toMatch(/-X loss +$/);
    expect(lane).not.toContain('>');
  });

  it('gives a dropped copy no arrival time', () => {
    expect((synLines[0] as string).endsWith('|')).toBe(true);
  });

  it('marks the retransmitted SYN (rtx) and draws it reaching the server', () => {
    const lane = laneOf(synLines[1] as string);
    expect(lane.startsWith('--[SYN] seq=0 win=64240 (rtx) ')).toBe(true);
    expect(lane.endsWith('>')).toBe(true);
    expect(synLines[1]).toMatch(/^ *1000\.000 ms .* 1000\.500 ms$/);
  });

  it('marks the SYN-ACK dropped by a fault on the leftward arrow, with the fault named in full', () => {
    const first = lines.findIndex((l) => l.includes('X-[SYN,ACK]'));
    expect(laneOf(lines[first] as string)).toMatch(/^ +X-\[SYN,ACK\] seq=0 ack=1 /);
    expect(lines[first]).not.toContain('<');
    expect(arrowText(lines, first)).toContain('lost: fault: drop SYN-ACK');
  });

  it('keeps a short reason after the X when the lane is wide enough', () => {
    const wide = renderLadder(lostSyn, { width: 120 });
    expect(laneOf(lineWith(wide, 'fault'))).toMatch(/^ +fault: drop SYN-ACK X-\[SYN,ACK\] seq=0 ack=1 /);
  });

  it('marks the duplicated copy (dup) and not the original', () => {
    const copies = lines.filter((l) => l.includes('[SYN,ACK]') && l.includes('(rtx)'));
    expect(copies).toHaveLength(2);
    expect(copies[0]).not.toContain('(dup)');
    expect(laneOf(copies[1] as string)).toMatch(/^<-\[SYN,ACK\] seq=0 ack=1 win=64240 \(rtx\) \(dup\) -+$/);
    expect(copies[1]).toMatch(/ 1201\.700 ms$/);
  });

  it('marks the 1 s wait for the retransmission timeout', () => {
    const marker = lines.findIndex((l) => l.includes('~ 1.00 s later ~'));
    expect(marker).toBeGreaterThan(lines.indexOf(synLines[0] as string));
    expect(marker).toBeLessThan(lines.indexOf(synLines[1] as string));
  });
});

describe('a segment its receiver threw away', () => {
  // Delivered, then discarded by the server's TCP without a reply (a listener's full accept queue).
  const full = makeTrace([
    segment(0, C, S, ['SYN'], 300, 0),
    segment(500, S, C, ['SYN', 'ACK'], 900, 301),
    segment(1000, C, S, ['ACK'], 301, 901, { discarded: 'ACK dropped: accept queue full' }),
  ]);
  const ladder = renderLadder(full);

  it('ends in an X on the receiver lifeline instead of an arrow head, with the reason in the label', () => {
    const lines = ladder.split('\n');
    const line = lineWith(ladder, '[ACK]');
    expect(laneOf(line)).toMatch(/^--\[ACK\] seq=1 ack=1 win=64240 .* -+X$/);
    expect(line).toMatch(/-X\| +1\.500 ms$/);
    expect(arrowText(lines, lines.indexOf(line))).toContain('(ACK dropped: accept queue full)');
  });
});
