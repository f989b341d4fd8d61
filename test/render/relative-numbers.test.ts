import { describe, expect, it } from 'vitest';
import { relativeNumbers } from '../../src/render/relative-numbers.js';
import { segment } from './trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';

describe('relative sequence numbers', () => {
  it('counts each direction from its own ISN, acks from the other side', () => {
    const events = [
      segment(0, C, S, ['SYN'], 1000, 0),
      segment(1, S, C, ['SYN', 'ACK'], 5000, 1001),
      segment(2, C, S, ['PSH', 'ACK'], 1001, 5001, { len: 10 }),
      segment(3, S, C, ['ACK'], 5001, 1011),
    ];
    const rel = relativeNumbers(events);
    expect(events.map((e) => rel.get(e))).toEqual([
      { seq: 0, ack: 0 },
      { seq: 0, ack: 1 },
      { seq: 1, ack: 1 },
      { seq: 1, ack: 11 },
    ]);
  });

  it('wraps around 2^32', () => {
    const isn = 2 ** 32 - 6;
    const events = [
      segment(0, C, S, ['SYN'], isn, 0),
      segment(1, S, C, ['SYN', 'ACK'], 7, isn + 1),
      segment(2, C, S, ['ACK'], 5, 8, { len: 1 }), // isn + 11, wrapped
      segment(3, S, C, ['ACK'], 8, 6),
    ];
    const rel = relativeNumbers(events);
    expect(rel.get(events[2]!)).toEqual({ seq: 11, ack: 1 });
    expect(rel.get(events[3]!)?.ack).toBe(12);
  });

  it('keeps the raw ack when the other direction has not been seen', () => {
    const rst = segment(0, S, C, ['RST', 'ACK'], 0, 424242);
    expect(relativeNumbers([rst]).get(rst)).toEqual({ seq: 0, ack: 424242 });
  });

  it('tells connections apart by port', () => {
    const a = segment(0, '10.0.0.1:40000', S, ['SYN'], 100, 0);
    const b = segment(0, '10.0.0.1:40001', S, ['SYN'], 9000, 0);
    const rel = relativeNumbers([a, b]);
    expect(rel.get(b)?.seq).toBe(0);
  });

  it('does not restart on a retransmitted SYN', () => {
    const first = segment(0, C, S, ['SYN'], 100, 0);
    const again = segment(1, C, S, ['SYN'], 100, 0, { retransmit: true });
    const data = segment(2, C, S, ['ACK'], 101, 0);
    const rel = relativeNumbers([first, again, data]);
    expect(rel.get(again)?.seq).toBe(0);
    expect(rel.get(data)?.seq).toBe(1);
  });

  it('restarts when a closed port pair is reused with a new ISN', () => {
    const events = [
      segment(0, C, S, ['SYN'], 100, 0),
      segment(1, S, C, ['SYN', 'ACK'], 700, 101),
      segment(2, C, S, ['FIN', 'ACK'], 101, 701),
      segment(3, C, S, ['SYN'], 88_000, 0),
      segment(4, S, C, ['SYN', 'ACK'], 3_000, 88_001),
    ];
    const rel = relativeNumbers(events);
    expect(rel.get(events[3]!)).toEqual({ seq: 0, ack: 0 });
    expect(rel.get(events[4]!)).toEqual({ seq: 0, ack: 1 });
  });

  it('does not restart on a SYN with a new ISN into an open connection (RFC 5961 4)', () => {
    const events = [
      segment(0, C, S, ['SYN'], 100, 0),
      segment(1, S, C, ['SYN', 'ACK'], 700, 101),
      segment(2, C, S, ['SYN'], 150, 0),
    ];
    expect(relativeNumbers(events).get(events[2]!)?.seq).toBe(50);
  });
});
