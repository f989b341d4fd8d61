// Connection events (state changes, timers, errors) are read only by the trace: a stack told nothing reads
// them (a World with the trace off) has its connections build none (issue 11: "connection event objects when
// the trace is off"), and the connection behaves the same.
import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/tcp/profile.js';
import { TcpStack } from '../../src/tcp/stack.js';
import { CLIENT_IP, SERVER_IP, counterRng } from './fixtures.js';

function connectOnce(eventsWanted: boolean) {
  const stack = new TcpStack({ addresses: [CLIENT_IP], profile: LINUX, rng: counterRng(3), mtu: 1500 });
  stack.eventsWanted = eventsWanted;
  const sock = stack.socket();
  expect(stack.connect(0, sock, SERVER_IP, 80)).toBeUndefined();
  const out = stack.takeOutput();
  return { events: stack.takeEvents(), segments: out.map((o) => [o.segment.flags, o.segment.seq, o.dst]), state: sock.conn?.state };
}

describe('connection events when nothing reads them', () => {
  it('a connect() makes its state and timer events when they are wanted, none when not, and the same SYN', () => {
    const wanted = connectOnce(true);
    const unwanted = connectOnce(false);
    expect(wanted.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['state', 'timer']));
    expect(unwanted.events).toEqual([]);
    expect(unwanted.segments).toEqual(wanted.segments);
    expect(unwanted.state).toBe('SYN_SENT');
  });
});
