// packetsFromTrace and traceStatesByConnection (src/replay/from-trace.ts).
import { describe, expect, it } from 'vitest';
import type { SegmentEvent, StateEvent, Trace } from '../../src/sim/trace.js';
import { findScenario } from '../../src/scenarios/index.js';
import { packetsFromTrace, traceStatesByConnection } from '../../src/replay/from-trace.js';
import { connectionKey } from '../../src/replay/connections.js';
import { ACK, PSH, SYN } from '../../src/wire/segment.js';

function seg(id: number, t: number, fields: Partial<SegmentEvent> = {}): SegmentEvent {
  return {
    t,
    kind: 'segment',
    id,
    src: '10.0.0.1:40000',
    dst: '10.0.0.2:80',
    flags: ['ACK'],
    seq: 100,
    ack: 200,
    len: 0,
    win: 512,
    options: [],
    fate: 'delivered',
    ...fields,
  };
}

function trace(events: Trace['events']): Trace {
  return { format: 'synack-trace', version: 1, scenario: 'test', profile: 'linux', seed: 1, hosts: [], events };
}

describe('packetsFromTrace', () => {
  it('gives one packet per segment sent, lost ones included, the extra copy of a duplicate left out', () => {
    const t = trace([
      seg(1, 10, { flags: ['SYN'], fate: 'dropped', reason: 'loss' }),
      seg(2, 20, { flags: ['SYN'] }),
      seg(3, 30, { fate: 'delivered' }),
      seg(3, 30, { fate: 'duplicated' }),
      seg(4, 40, { len: 3, flags: ['PSH', 'ACK'], payload: 'YWJj' }),
    ]);
    const packets = packetsFromTrace(t);
    expect(packets.map((p) => [p.frame, p.t])).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
      [5, 40],
    ]);
    expect(packets[0]!.segment.flags).toBe(SYN);
    expect(packets[3]!.segment.flags).toBe(PSH | ACK);
    expect(new TextDecoder().decode(packets[3]!.segment.payload)).toBe('abc');
    expect(packets[3]!.payloadLength).toBe(3);
  });

  it('takes addresses, ports and options apart', () => {
    const [p] = packetsFromTrace(
      trace([seg(1, 0, { src: '[2001:db8::1]:40000', dst: '[2001:db8::2]:80', options: [{ kind: 'mss', mss: 1440 }, { kind: 'sack', blocks: [[1, 2]] }, { kind: 'unknown', code: 99, data: '0a0b' }] })]),
    );
    expect(p!.src).toBe('2001:db8::1');
    expect(p!.dst).toBe('2001:db8::2');
    expect(p!.segment.srcPort).toBe(40000);
    expect(p!.segment.options).toEqual([
      { kind: 'mss', mss: 1440 },
      { kind: 'sack', blocks: [[1, 2]] },
      { kind: 'unknown', code: 99, data: new Uint8Array([10, 11]) },
    ]);
  });

  it('a real run: as many packets as segment ids, in the order sent', async () => {
    const t = await findScenario('lost-syn')!.run({ profile: 'linux', seed: 1 });
    const segments = t.events.filter((e): e is SegmentEvent => e.kind === 'segment');
    const packets = packetsFromTrace(t);
    expect(packets).toHaveLength(new Set(segments.map((s) => s.id)).size);
    expect(packets[0]!.segment.flags).toBe(SYN); // the lost SYN is in the capture
    expect(segments[0]!.fate).toBe('dropped');
  });

  it('rejects what is not a trace', () => {
    expect(() => packetsFromTrace({} as Trace)).toThrow(/not a synack trace/);
    expect(() => packetsFromTrace(trace([seg(1, 0, { src: 'nonsense' })]))).toThrow(/segment #1/);
    expect(() => packetsFromTrace(trace([seg(1, 0, { len: 1, payload: '!!' })]))).toThrow(/base64/);
  });
});

describe('traceStatesByConnection', () => {
  function state(t: number, socket: number, endpoint: string, peer: string | undefined, from: string, to: string, cause: string): StateEvent {
    return { t, kind: 'state', host: endpoint.startsWith('10.0.0.1') ? 'client' : 'server', endpoint, ...(peer ? { peer } : {}), socket, from, to, cause };
  }

  it('groups each socket\'s state events by 4-tuple, leaves listeners out, and splits a socket that starts again', () => {
    const c = '10.0.0.1:40000';
    const s = '10.0.0.2:80';
    const t = trace([
      state(0, 3, '0.0.0.0:80', undefined, 'CLOSED', 'LISTEN', 'PASSIVE_OPEN'),
      state(1, 3, c, s, 'CLOSED', 'SYN_SENT', 'ACTIVE_OPEN'),
      state(2, 4, s, c, 'LISTEN', 'SYN_RECEIVED', 'RCV_SYN'),
      state(3, 3, c, s, 'SYN_SENT', 'CLOSED', 'RCV_RST'),
      state(4, 3, c, s, 'CLOSED', 'SYN_SENT', 'ACTIVE_OPEN'),
    ]);
    const byKey = traceStatesByConnection(t);
    expect([...byKey.keys()]).toEqual([connectionKey(c, s)]);
    const sockets = byKey.get(connectionKey(c, s))!;
    expect(sockets.map((x) => [x.endpoint, x.events.map((e) => e.to)])).toEqual([
      [c, ['SYN_SENT', 'CLOSED']],
      [s, ['SYN_RECEIVED']],
      [c, ['SYN_SENT']],
    ]);
  });
});
