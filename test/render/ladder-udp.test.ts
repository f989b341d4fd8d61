import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { datagram, laneOf, makeTrace } from './trace-builders.js';

const C = '10.0.0.1:5353';
const S = '10.0.0.2:53';
const exchange = makeTrace([
  datagram(0, C, S, 42),
  datagram(800, S, C, 90),
  datagram(2000, C, S, 42, { fate: 'dropped', reason: 'loss', arrival: undefined }),
]);

describe('UDP datagrams', () => {
  const lines = renderLadder(exchange).split('\n');
  const udp = lines.filter((l) => l.includes('UDP'));

  it('draws the query left to right, labelled UDP len=N', () => {
    expect(laneOf(udp[0] as string)).toMatch(/^--UDP len=42 -+>$/);
  });

  it('draws the answer right to left', () => {
    expect(laneOf(udp[1] as string)).toMatch(/^<-UDP len=90 -+$/);
  });

  it('marks a lost datagram', () => {
    expect(laneOf(udp[2] as string)).toMatch(/^--UDP len=42 --X loss +$/);
  });

  it('shows no TCP fields on datagrams', () => {
    for (const line of udp) expect(line).not.toMatch(/seq=|win=|\[/);
  });
});
