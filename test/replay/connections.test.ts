// Grouping packets into connections (src/replay/connections.ts): by 4-tuple in both directions, and
// by incarnation when a 4-tuple is used again.
import { describe, expect, it } from 'vitest';
import { connectionKey } from '../../src/replay/connections.js';
import { replayPackets } from '../../src/replay/replay.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { CLIENT, Conversation, SERVER } from './conversation.js';

function renumber(packets: ObservedPacket[]): ObservedPacket[] {
  return packets.map((p, i) => ({ ...p, frame: i + 1 }));
}

describe('connectionKey', () => {
  it('is the same for both directions and differs between 4-tuples', () => {
    expect(connectionKey(CLIENT, SERVER)).toBe(connectionKey(SERVER, CLIENT));
    expect(connectionKey(CLIENT, SERVER)).not.toBe(connectionKey('10.0.0.1:40001', SERVER));
  });
});

describe('grouping', () => {
  it('interleaved connections on different ports are kept apart, each with its own frames', () => {
    const x = new Conversation().handshake();
    const y = new Conversation({ clientIss: 90_000 }).handshake();
    for (const p of y.packets) {
      if (p.segment.srcPort === 40000) p.segment.srcPort = 40001;
      else p.segment.dstPort = 40001;
    }
    const mixed = renumber([x.packets[0]!, y.packets[0]!, x.packets[1]!, y.packets[1]!, x.packets[2]!, y.packets[2]!]);
    const r = replayPackets(mixed);
    expect(r.packets).toBe(6);
    expect(r.connections.map((c) => [c.a, c.frames])).toEqual([
      [CLIENT, [1, 3, 5]],
      ['10.0.0.1:40001', [2, 4, 6]],
    ]);
    for (const c of r.connections) expect(c.final[c.a]).toBe('ESTABLISHED');
  });

  it('the same 4-tuple used again after TIME_WAIT (a new SYN, a new ISN) is a second connection', () => {
    const first = new Conversation().handshake();
    first.c('FIN,ACK');
    first.s('FIN,ACK');
    first.c('ACK');
    const second = new Conversation({ clientIss: first.sndNxt('c') + 65537, serverIss: 777_777 });
    second.handshake();
    const packets = renumber([...first.packets, ...second.packets.map((p) => ({ ...p, t: p.t + 2_000_000 }))]);
    const r = replayPackets(packets);
    expect(r.connections).toHaveLength(2);
    const [a, b] = r.connections;
    // Its TIME_WAIT was taken over for the new connection (Linux tcp_twsk_unique).
    expect(a!.states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(b!.states).toEqual({ [CLIENT]: ['SYN_SENT', 'ESTABLISHED'], [SERVER]: ['SYN_RECEIVED', 'ESTABLISHED'] });
    expect(b!.frames).toEqual([7, 8, 9]);
    expect(r.connections.flatMap((c) => c.violations)).toEqual([]);
  });

  it('a retransmitted SYN stays in its connection', () => {
    const x = new Conversation();
    x.c('SYN');
    x.c('SYN', { t: 1_001_000 });
    x.s('SYN,ACK');
    x.c('ACK');
    expect(replayPackets(x.packets).connections).toHaveLength(1);
  });

  it('a delayed duplicate SYN answered after the connection closed: the SYN-ACK with a new ISN opens another', () => {
    const x = new Conversation().handshake();
    x.c('RST,ACK');
    x.s('SYN,ACK', { seq: 999_999, ack: x.iss('c') + 1 });
    x.c('RST', { seq: x.iss('c') + 1 });
    const r = replayPackets(x.packets);
    expect(r.connections).toHaveLength(2);
    expect(r.connections[1]!.a).toBe(SERVER);
    expect(r.connections[1]!.states).toEqual({ [SERVER]: ['SYN_RECEIVED', 'CLOSED'], [CLIENT]: [] });
    expect(r.connections.flatMap((c) => c.violations)).toEqual([]);
  });
});
