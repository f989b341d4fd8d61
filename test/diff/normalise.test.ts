// The normaliser: sequence numbers relative to each direction's ISN, endpoints as roles, connections
// keyed by roles (with incarnations), retransmissions marked, options as a comparable string.
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/diff/normalise.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { ACK, FIN, PSH, RST, SYN, makeSegment, type TcpOption } from '../../src/wire/segment.js';
import { seqAdd } from '../../src/wire/seq.js';
import { Conversation } from '../replay/conversation.js';

/** One packet from "ip:port" to "ip:port". */
function packet(t: number, from: string, to: string, flags: number, seq: number, ack = 0, fields: { len?: number; win?: number; options?: TcpOption[] } = {}): ObservedPacket {
  const [src, sport] = from.split(':') as [string, string];
  const [dst, dport] = to.split(':') as [string, string];
  const len = fields.len ?? 0;
  return {
    frame: 0,
    t,
    src,
    dst,
    segment: makeSegment({ srcPort: Number(sport), dstPort: Number(dport), seq, ack, flags, window: fields.win ?? 100, options: fields.options ?? [], payload: new Uint8Array(len) }),
    payloadLength: len,
  };
}

/** Frames numbered 1, 2, … as a capture would. */
function framed(packets: ObservedPacket[]): ObservedPacket[] {
  return packets.map((p, i) => ({ ...p, frame: i + 1 }));
}

/** A handshake, 5 bytes each way, and a close by the client, on any endpoints and ISNs. */
function exchange(client: string, server: string, ciss: number, siss: number, t0 = 0): ObservedPacket[] {
  const add = (a: number, n: number) => (a + n) >>> 0;
  return [
    packet(t0 + 0, client, server, SYN, ciss),
    packet(t0 + 1000, server, client, SYN | ACK, siss, add(ciss, 1)),
    packet(t0 + 2000, client, server, ACK, add(ciss, 1), add(siss, 1)),
    packet(t0 + 2000, client, server, PSH | ACK, add(ciss, 1), add(siss, 1), { len: 5 }),
    packet(t0 + 3000, server, client, PSH | ACK, add(siss, 1), add(ciss, 6), { len: 5 }),
    packet(t0 + 4000, client, server, FIN | ACK, add(ciss, 6), add(siss, 6)),
    packet(t0 + 5000, server, client, FIN | ACK, add(siss, 6), add(ciss, 7)),
    packet(t0 + 6000, client, server, ACK, add(ciss, 7), add(siss, 7)),
  ];
}

const pick = (s: { flags: string; seq: number; ack?: number; len: number }) => [s.flags, s.seq, s.ack ?? null, s.len];

describe('sequence numbers', () => {
  it('count from each direction\'s ISN; acks from the other direction\'s', () => {
    const n = normalise(framed(exchange('10.0.0.1:40000', '10.0.0.2:80', 123_456, 987_654)));
    expect(n.segments.map(pick)).toEqual([
      ['SYN', 0, null, 0],
      ['SYN-ACK', 0, 1, 0],
      ['ACK', 1, 1, 0],
      ['PSH-ACK', 1, 1, 5],
      ['PSH-ACK', 1, 6, 5],
      ['FIN-ACK', 6, 6, 0],
      ['FIN-ACK', 6, 7, 0],
      ['ACK', 7, 7, 0],
    ]);
  });

  it('wrap around 2^32 without a jump', () => {
    const n = normalise(framed(exchange('10.0.0.1:40000', '10.0.0.2:80', 0xfffffffd, 0xffffffff)));
    expect(n.segments.map(pick)).toEqual(normalise(framed(exchange('10.0.0.1:40000', '10.0.0.2:80', 7, 9))).segments.map(pick));
    expect(n.segments[5]!.seq).toBe(6);
  });

  it('without a SYN, count from the first sequence number seen in that direction', () => {
    const n = normalise(framed([
      packet(0, '10.0.0.1:40000', '10.0.0.2:80', ACK | PSH, 5000, 9000, { len: 10 }),
      packet(1000, '10.0.0.2:80', '10.0.0.1:40000', ACK, 9000, 5010),
      packet(2000, '10.0.0.1:40000', '10.0.0.2:80', ACK | PSH, 5010, 9000, { len: 10 }),
    ]));
    expect(n.segments.map(pick)).toEqual([
      ['PSH-ACK', 0, 0, 10],
      ['ACK', 0, 10, 0],
      ['PSH-ACK', 10, 0, 10],
    ]);
  });

  it('a RST-ACK answering a SYN has seq 0 and acks the SYN', () => {
    const n = normalise(framed([
      packet(0, '10.0.0.1:40000', '10.0.0.2:81', SYN, 777),
      packet(500, '10.0.0.2:81', '10.0.0.1:40000', RST | ACK, 0, 778, { win: 0 }),
    ]));
    expect(n.segments.map(pick)).toEqual([['SYN', 0, null, 0], ['RST-ACK', 0, 1, 0]]);
    expect(n.segments[1]!.conn).toBe('host1:eph1>host2:81');
  });

  it('a connection seen from its SYN-ACK on (its SYN was in an earlier incarnation) counts from the acked ISN', () => {
    const n = normalise(framed([
      packet(0, '10.0.0.2:80', '10.0.0.1:40000', SYN | ACK, 50, 1001),
      packet(1000, '10.0.0.1:40000', '10.0.0.2:80', ACK, 1001, 51),
    ]));
    expect(n.segments.map(pick)).toEqual([['SYN-ACK', 0, 1, 0], ['ACK', 1, 1, 0]]);
  });
});

describe('roles', () => {
  it('a port that received a SYN keeps its number; other ports become eph1, eph2, … per host', () => {
    const packets = framed([
      ...exchange('10.0.0.1:51234', '10.0.0.2:9999', 1, 2),
      ...exchange('10.0.0.1:40001', '10.0.0.2:9999', 3, 4, 10_000),
      ...exchange('10.0.0.3:33333', '10.0.0.2:9999', 5, 6, 20_000),
    ]);
    const n = normalise(packets);
    expect(Object.fromEntries(n.roles)).toEqual({
      '10.0.0.1:51234': 'host1:eph1',
      '10.0.0.2:9999': 'host2:9999',
      '10.0.0.1:40001': 'host1:eph2',
      '10.0.0.3:33333': 'host3:eph1',
    });
    expect([...new Set(n.segments.map((s) => s.conn))]).toEqual(['host1:eph1>host2:9999', 'host1:eph2>host2:9999', 'host3:eph1>host2:9999']);
    expect(n.segments[1]).toMatchObject({ from: 'host2:9999', to: 'host1:eph1' });
  });

  it('a SYN into an established connection does not make the port it reaches a listening one', () => {
    const packets = framed([
      ...exchange('10.0.0.1:51234', '10.0.0.2:9999', 1, 2).slice(0, 5),
      packet(9000, '10.0.0.2:9999', '10.0.0.1:51234', SYN, 77), // forged, RFC 5961 4.2
    ]);
    expect(normalise(packets).roles.get('10.0.0.1:51234')).toBe('host1:eph1');
  });

  it('hosts take their names from the names option, whatever their addresses', () => {
    const names = { '10.0.0.1': 'client', '127.0.0.11': 'client', '10.0.0.2': 'server', '127.0.0.12': 'server' };
    const sim = normalise(framed(exchange('10.0.0.1:40123', '10.0.0.2:9999', 1, 2)), { names });
    const kernel = normalise(framed(exchange('127.0.0.11:51234', '127.0.0.12:9999', 3, 4)), { names });
    expect(sim.segments[0]).toMatchObject({ conn: 'client:eph1>server:9999', from: 'client:eph1', to: 'server:9999' });
    expect(kernel.segments).toEqual(sim.segments);
    expect(kernel.roles.get('127.0.0.11:51234')).toBe('client:eph1');
  });

  it('an unnamed host is numbered among the unnamed ones', () => {
    const n = normalise(framed(exchange('10.0.0.7:40000', '10.0.0.2:80', 1, 2)), { names: { '10.0.0.2': 'server' } });
    expect(n.segments[0]!.conn).toBe('host1:eph1>server:80');
  });

  it('IPv6 names match the canonical form of the address', () => {
    const v6 = (t: number, src: string, sport: number, dst: string, dport: number, flags: number, seq: number, ack = 0): ObservedPacket => ({
      frame: t + 1,
      t,
      src,
      dst,
      segment: makeSegment({ srcPort: sport, dstPort: dport, seq, ack, flags }),
      payloadLength: 0,
    });
    const n = normalise([v6(0, '2001:db8::1', 40000, '2001:db8::2', 80, SYN, 10), v6(1, '2001:db8::2', 80, '2001:db8::1', 40000, SYN | ACK, 20, 11)], {
      names: { '2001:DB8:0::1': 'client', '2001:db8::2': 'server' },
    });
    expect(n.segments.map((s) => [s.conn, s.from])).toEqual([['client:eph1>server:80', 'client:eph1'], ['client:eph1>server:80', 'server:80']]);
    expect(Object.fromEntries(n.roles)).toEqual({ '[2001:db8::1]:40000': 'client:eph1', '[2001:db8::2]:80': 'server:80' });
  });

  it('a malformed packet is an error that says which one', () => {
    const good = exchange('10.0.0.1:40000', '10.0.0.2:80', 1, 2);
    expect(() => normalise([good[0]!, { ...good[1]!, segment: undefined } as unknown as ObservedPacket])).toThrow(/packet 2 .*has no valid TCP segment/);
    expect(() => normalise('nope' as unknown as ObservedPacket[])).toThrow(/expected an array of packets/);
  });

  it('a names key that is not an address is an error that says so', () => {
    expect(() => normalise([], { names: { 'not-an-ip': 'x' } })).toThrow(/names: "not-an-ip" is not an IP address/);
  });
});

describe('connections', () => {
  it('are keyed opener first, and a later incarnation of the same role pair gets "#2"', () => {
    const first = exchange('10.0.0.1:40000', '10.0.0.2:80', 1000, 5000);
    const second = exchange('10.0.0.1:40000', '10.0.0.2:80', 90_000, 70_000, 100_000);
    const n = normalise(framed([...first, ...second]));
    expect(n.segments.map((s) => s.conn)).toEqual([...first.map(() => 'host1:eph1>host2:80'), ...second.map(() => 'host1:eph1>host2:80#2')]);
    // Each incarnation counts from its own ISNs.
    expect(n.segments.slice(8).map(pick)).toEqual(n.segments.slice(0, 8).map(pick));
  });

  it('times count from the first packet of the input', () => {
    const n = normalise(framed(exchange('10.0.0.1:40000', '10.0.0.2:80', 1, 2, 5_000_000)));
    expect(n.segments.map((s) => s.t)).toEqual([0, 1000, 2000, 2000, 3000, 4000, 5000, 6000]);
  });

  it('keeps the frame numbers of the input', () => {
    const packets = exchange('10.0.0.1:40000', '10.0.0.2:80', 1, 2).map((p, i) => ({ ...p, frame: 100 + 2 * i }));
    expect(normalise(packets).segments.map((s) => s.frame)).toEqual([100, 102, 104, 106, 108, 110, 112, 114]);
  });
});

describe('retransmissions', () => {
  it('mark a SYN, data and a FIN sent again, not a repeated pure ACK or new data', () => {
    const iss = 0xffffffc0; // the data wraps around 2^32
    const c = new Conversation({ clientIss: iss, serverIss: 7 });
    c.c('SYN');
    c.c('SYN');
    c.s('SYN,ACK');
    c.s('SYN,ACK');
    c.c('ACK');
    c.c('ACK');
    c.c('PSH,ACK', { len: 100 });
    c.c('PSH,ACK', { len: 100 });
    c.c('PSH,ACK', { len: 100, seq: seqAdd(iss, 1) });
    c.c('FIN,ACK');
    c.c('FIN,ACK', { seq: seqAdd(iss, 201) });
    const n = normalise(c.packets);
    expect(n.segments.map((s) => [s.flags, s.seq, s.retransmit])).toEqual([
      ['SYN', 0, false],
      ['SYN', 0, true],
      ['SYN-ACK', 0, false],
      ['SYN-ACK', 0, true],
      ['ACK', 1, false],
      ['ACK', 1, false],
      ['PSH-ACK', 1, false],
      ['PSH-ACK', 101, false],
      ['PSH-ACK', 1, true],
      ['FIN-ACK', 201, false],
      ['FIN-ACK', 201, true],
    ]);
  });
});

describe('flags, options and window', () => {
  it('flags are joined with dashes in the ladder\'s order', () => {
    const n = normalise(framed([
      packet(0, '10.0.0.1:1', '10.0.0.2:2', SYN, 0),
      packet(1, '10.0.0.2:2', '10.0.0.1:1', SYN | ACK, 0, 1),
      packet(2, '10.0.0.1:1', '10.0.0.2:2', FIN | PSH | ACK, 1, 1, { len: 3 }),
      packet(3, '10.0.0.2:2', '10.0.0.1:1', RST | ACK, 1, 5),
      packet(4, '10.0.0.2:2', '10.0.0.1:1', 0, 1),
    ]));
    expect(n.segments.map((s) => s.flags)).toEqual(['SYN', 'SYN-ACK', 'FIN-PSH-ACK', 'RST-ACK', 'none']);
  });

  it('options are listed in order with values only where they do not depend on chance', () => {
    const synOptions: TcpOption[] = [
      { kind: 'mss', mss: 1460 },
      { kind: 'sackPermitted' },
      { kind: 'timestamps', tsVal: 123456, tsEcr: 0 },
      { kind: 'nop' },
      { kind: 'windowScale', shift: 7 },
    ];
    const n = normalise(framed([
      packet(0, '10.0.0.1:40000', '10.0.0.2:80', SYN, 1000, 0, { options: synOptions, win: 64240 }),
      packet(1, '10.0.0.2:80', '10.0.0.1:40000', SYN | ACK, 5000, 1001, { options: [{ kind: 'mss', mss: 536 }, { kind: 'unknown', code: 34, data: new Uint8Array(8) }, { kind: 'eol' }], win: 65160 }),
      packet(2, '10.0.0.2:80', '10.0.0.1:40000', ACK, 5001, 1001, {
        options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[1101, 1201], [1301, 1401]] }],
        win: 500,
      }),
    ]));
    expect(n.segments.map((s) => s.options)).toEqual(['mss=1460,sackOK,ts,nop,ws=7', 'mss=536,opt34,eol', 'nop,nop,sack=101-201:301-401']);
    expect(n.segments.map((s) => s.win)).toEqual([64240, 65160, undefined]);
  });

  it('ack is left out when the ACK flag is off', () => {
    const n = normalise(framed([packet(0, '10.0.0.1:40000', '10.0.0.2:80', SYN, 1, 999)]));
    expect(n.segments[0]).not.toHaveProperty('ack');
  });
});
