// The query helpers the scenario tests rely on, checked on hand-made traces.
import { describe, expect, it } from 'vitest';
import { makeTrace, segment, state } from '../render/trace-builders.js';
import { describeSegment, isAt, relative, segments, stateAt, stateBefore, statesOf } from './trace-query.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';

describe('trace-query helpers', () => {
  it('numbers seq and ack from each direction ISN, modulo 2^32', () => {
    const issC = 0xffff_fffe; // the client's numbers wrap past 2^32
    const issS = 7;
    const trace = makeTrace([
      segment(0, C, S, ['SYN'], issC, 0),
      segment(1000, S, C, ['SYN', 'ACK'], issS, 0xffff_ffff),
      segment(2000, C, S, ['ACK', 'PSH'], 0xffff_ffff, 8, { len: 5 }),
      segment(3000, S, C, ['ACK'], 8, 4),
    ]);
    const [syn, synAck, data, ack] = segments(trace);
    expect(relative(trace, syn!)).toEqual({ seq: 0, ack: undefined });
    expect(relative(trace, synAck!)).toEqual({ seq: 0, ack: 1 });
    expect(relative(trace, data!)).toEqual({ seq: 1, ack: 1 });
    expect(relative(trace, ack!)).toEqual({ seq: 1, ack: 6 });
    expect(describeSegment(trace, data!)).toBe('client>server ACK,PSH seq=1 ack=1 len=5');
  });

  it('filters by host name, address or endpoint and by the exact flag set', () => {
    const trace = makeTrace([segment(0, C, S, ['SYN'], 1, 0), segment(1, S, C, ['SYN', 'ACK'], 2, 2), segment(2, C, S, ['ACK'], 2, 3)]);
    expect(segments(trace, { from: 'client' })).toHaveLength(2);
    expect(segments(trace, { from: '10.0.0.2' })).toHaveLength(1);
    expect(segments(trace, { to: S, flags: ['ACK'] })).toHaveLength(1);
    expect(segments(trace, { flags: ['ACK', 'SYN'] })).toHaveLength(1); // any order, but exactly these
    expect(segments(trace, { hasFlags: ['ACK'] })).toHaveLength(2);
    expect(isAt(trace, C, '10.0.0.1:40001')).toBe(false);
    expect(() => segments(trace, { from: 'cleint' })).toThrow(/neither a host/);
  });

  it('follows one socket through its states and refuses to mix sockets', () => {
    const trace = makeTrace([
      state(0, 'server', 3, '0.0.0.0:80', 'CLOSED', 'LISTEN'),
      state(10, 'server', 4, S, 'LISTEN', 'SYN_RECEIVED', C),
      state(20, 'server', 4, S, 'SYN_RECEIVED', 'ESTABLISHED', C),
    ]);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    expect(statesOf(trace, 'server', { listener: true })).toEqual(['CLOSED', 'LISTEN']);
    expect(() => statesOf(trace, 'server')).toThrow(/sockets 3, 4/);
    expect(stateAt(trace, 'server', 20, { socket: 4 })).toBe('ESTABLISHED');
    expect(stateBefore(trace, 'server', 20, { socket: 4 })).toBe('SYN_RECEIVED');
    expect(stateAt(trace, 'server', 5, { socket: 4 })).toBe('LISTEN');
  });
});
