// Property: normalising is invariant under what differs between two correct runs: every direction's ISN
// shifted by a random 32-bit offset (with wraparound), ephemeral ports renumbered, addresses changed,
// timestamp values replaced.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalise } from '../../src/diff/normalise.js';
import { packetsFromTrace, type ObservedPacket } from '../../src/replay/index.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import type { TcpOption } from '../../src/wire/segment.js';
import { seqAdd } from '../../src/wire/seq.js';

/** Scenarios whose listening ports are all on 10.0.0.2; every other host's ports are the stack's (or bound, never listening). */
const BASES = ['echo', 'lost-fin', 'lost-syn-ack', 'tw-reuse', 'many-clients', 'byte-stream-coalescing', 'rst-in-window'];
const SERVER = '10.0.0.2';

const runs = new Map<string, ObservedPacket[]>();
beforeAll(async () => {
  for (const name of BASES) runs.set(name, packetsFromTrace(await SCENARIOS.find((s) => s.name === name)!.run({ profile: 'linux', seed: 1 })));
});

/** How one direction's sequence numbers move: by any offset, or so that its first one lands `before` short of 2^32. */
type Shift = { add: number } | { before: number };

interface Change {
  /** Per direction "src:port>dst:port", in order of first appearance (cycled). */
  offsets: Shift[];
  /** New ports, drawn distinct, for the non-server endpoints in order of first appearance. */
  ports: number[];
  /** New last octets (distinct) for the addresses in order of first appearance, as 127.0.0.x. */
  octets: number[];
  /** Fresh timestamp values. */
  stamp: number;
}

const endpoint = (ip: string, port: number): string => `${ip}:${port}`;

function transform(packets: readonly ObservedPacket[], change: Change): ObservedPacket[] {
  const directions = new Map<string, number>();
  const ports = new Map<string, number>();
  const addresses = new Map<string, string>();
  const firstSeq = new Map<string, number>();
  for (const p of packets) {
    const key = `${endpoint(p.src, p.segment.srcPort)}>${endpoint(p.dst, p.segment.dstPort)}`;
    if (!firstSeq.has(key)) firstSeq.set(key, p.segment.seq);
  }
  const offsetOf = (from: string, to: string): number => {
    const key = `${from}>${to}`;
    if (!directions.has(key)) {
      const shift = change.offsets[directions.size % change.offsets.length]!;
      // The data of this direction then crosses 2^32 a few segments in.
      directions.set(key, 'add' in shift ? shift.add : (2 ** 32 - shift.before - (firstSeq.get(key) ?? 0)) >>> 0);
    }
    return directions.get(key)!;
  };
  const portOf = (ip: string, port: number): number => {
    if (ip === SERVER) return port;
    const key = endpoint(ip, port);
    if (!ports.has(key)) ports.set(key, change.ports[ports.size]!);
    return ports.get(key)!;
  };
  const addressOf = (ip: string): string => {
    if (!addresses.has(ip)) addresses.set(ip, `127.0.0.${change.octets[addresses.size]!}`);
    return addresses.get(ip)!;
  };
  return packets.map((p) => {
    const s = p.segment;
    const from = endpoint(p.src, s.srcPort);
    const to = endpoint(p.dst, s.dstPort);
    const mine = offsetOf(from, to);
    const theirs = offsetOf(to, from);
    const options: TcpOption[] = s.options.map((o) => {
      if (o.kind === 'timestamps') return { kind: 'timestamps', tsVal: (o.tsVal + change.stamp) >>> 0, tsEcr: (o.tsEcr ^ change.stamp) >>> 0 };
      if (o.kind === 'sack') return { kind: 'sack', blocks: o.blocks.map(([l, r]) => [seqAdd(l, theirs), seqAdd(r, theirs)] as const) };
      return o;
    });
    return {
      ...p,
      src: addressOf(p.src),
      dst: addressOf(p.dst),
      segment: { ...s, srcPort: portOf(p.src, s.srcPort), dstPort: portOf(p.dst, s.dstPort), seq: seqAdd(s.seq, mine), ack: seqAdd(s.ack, theirs), options },
    };
  });
}

const change = fc.record({
  offsets: fc.array(
    fc.oneof(fc.record({ add: fc.nat({ max: 0xffffffff }) }), fc.record({ before: fc.integer({ min: 1, max: 3000 }) })),
    { minLength: 1, maxLength: 40 },
  ),
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 40, maxLength: 40 }),
  octets: fc.uniqueArray(fc.integer({ min: 1, max: 254 }), { minLength: 16, maxLength: 16 }),
  stamp: fc.nat({ max: 0xffffffff }),
});

describe('normalise is invariant under', () => {
  it.each(BASES)('shifted ISNs, renumbered ports and addresses, other timestamps (%s)', (name) => {
    const packets = runs.get(name)!;
    const expected = normalise(packets);
    fc.assert(
      fc.property(change, (c) => {
        const moved = transform(packets, c);
        const got = normalise(moved);
        expect(got.segments).toEqual(expected.segments);
        expect([...got.roles.values()]).toEqual([...expected.roles.values()]);
      }),
      { numRuns: 40 },
    );
  });

  it('the transform does change what it should (so the property means something)', () => {
    const packets = runs.get('echo')!;
    const moved = transform(packets, { offsets: [{ add: 5 }, { add: 7 }], ports: [1234, 4321], octets: [11, 12], stamp: 99 });
    expect(moved[0]!.segment.seq).toBe(seqAdd(packets[0]!.segment.seq, 5));
    expect(moved[1]!.segment.ack).toBe(seqAdd(packets[1]!.segment.ack, 5));
    expect(moved[0]!.segment.srcPort).toBe(1234);
    expect(moved[0]!.src).toBe('127.0.0.11');
    const wrapped = transform(packets, { offsets: [{ before: 3 }], ports: [1234, 4321], octets: [11, 12], stamp: 99 });
    expect(wrapped[0]!.segment.seq).toBe(2 ** 32 - 3);
  });
});
