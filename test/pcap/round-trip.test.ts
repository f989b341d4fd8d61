// writePcap / writePcapng then openCapture + decodeFrame give back the packets and times that went in.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/pcap/decode-frame.js';
import { openCapture } from '../../src/pcap/read.js';
import { bytesSource } from '../../src/pcap/types.js';
import { type PacketRecord, writePcap, writePcapng } from '../../src/pcap/write.js';
import { ACK, FIN, PSH, SYN, type Packet } from '../../src/wire/segment.js';

const data = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');

function tcp(src: string, dst: string, fields: Partial<Extract<Packet, { proto: 'tcp' }>['segment']>): Packet {
  return {
    proto: 'tcp',
    src,
    dst,
    segment: { srcPort: 40000, dstPort: 8080, seq: 0, ack: 0, flags: 0, window: 0, urgentPointer: 0, options: [], payload: new Uint8Array(0), ...fields },
  };
}

function conversation(client: string, server: string): PacketRecord[] {
  return [
    {
      timeMicros: 0,
      ipId: 0x1234,
      packet: tcp(client, server, {
        seq: 0xfffffffe,
        flags: SYN,
        window: 64240,
        options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackPermitted' }, { kind: 'timestamps', tsVal: 1, tsEcr: 0 }, { kind: 'nop' }, { kind: 'windowScale', shift: 7 }],
      }),
    },
    { timeMicros: 1_000_001, packet: { ...tcp(server, client, { srcPort: 8080, dstPort: 40000, seq: 7, ack: 0xffffffff, flags: SYN | ACK, window: 65160 }), ttl: 255 } },
    { timeMicros: 1_000_250, packet: tcp(client, server, { seq: 0xffffffff, ack: 8, flags: PSH | ACK, window: 502, payload: data, options: [{ kind: 'sack', blocks: [[1, 5]] }] }) },
    { timeMicros: 2_999_999, packet: tcp(client, server, { seq: 17, ack: 8, flags: FIN | ACK, urgentPointer: 3 }) },
    { timeMicros: 3_000_000, packet: { proto: 'udp', src: client, dst: server, datagram: { srcPort: 5353, dstPort: 5354, payload: data } } },
  ];
}

/** The packet as the decoder reports it: canonical addresses, TTL 64 unless set. */
function expected(p: Packet, canonical: Record<string, string>): Packet {
  return { ...p, src: canonical[p.src] ?? p.src, dst: canonical[p.dst] ?? p.dst, ttl: p.ttl ?? 64 };
}

const families: Array<[string, string, string, Record<string, string>]> = [
  ['IPv4', '10.0.0.1', '10.0.0.2', {}],
  ['IPv6', '2001:DB8:0::a', 'fe80::0:1', { '2001:DB8:0::a': '2001:db8::a', 'fe80::0:1': 'fe80::1' }],
];

describe('write then read', () => {
  for (const [family, client, server, canonical] of families) {
    for (const format of ['pcap', 'pcapng'] as const) {
      for (const resolution of ['us', 'ns'] as const) {
        it(`${family} TCP and UDP through ${format} at ${resolution}`, () => {
          const records = conversation(client, server);
          const write = format === 'pcap' ? writePcap : writePcapng;
          const bytes = write(records, { resolution, epochSeconds: 1_700_000_000 });
          const reader = openCapture(bytesSource(bytes));
          expect(reader.format).toBe(format);
          const frames = [...reader.frames()];
          expect(reader.warnings).toEqual([]);
          expect(frames.map((f) => [f.index, f.sec, f.nsec, f.linkType])).toEqual([
            [1, 1_700_000_000, 0, 1],
            [2, 1_700_000_001, 1_000, 1],
            [3, 1_700_000_001, 250_000, 1],
            [4, 1_700_000_002, 999_999_000, 1],
            [5, 1_700_000_003, 0, 1],
          ]);
          const decoded = frames.map(decodeFrame);
          expect(decoded).toEqual(
            records.map((r) => ({
              kind: 'packet',
              packet: expected(r.packet, canonical),
              payloadLength: r.packet.proto === 'tcp' ? r.packet.segment.payload.length : r.packet.datagram.payload.length,
              truncated: false,
              checksum: 'ok',
            })),
          );
        });
      }
    }
  }

  it('writes the IPv4 identification given in the record', () => {
    const bytes = writePcap(conversation('10.0.0.1', '10.0.0.2'));
    // File header 24, record header 16, Ethernet 14, then IP; the identification is at IP offset 4.
    expect([bytes[24 + 16 + 14 + 4], bytes[24 + 16 + 14 + 5]]).toEqual([0x12, 0x34]);
  });

  it('cuts frames longer than the snaplen, and the reader gives back the cut part and the true length', () => {
    for (const write of [writePcap, writePcapng]) {
      const records = conversation('10.0.0.1', '10.0.0.2').slice(2, 3);
      const frames = [...openCapture(bytesSource(write(records, { snaplen: 14 + 20 + 32 + 5 }))).frames()];
      expect(frames[0]?.data.length).toBe(71);
      expect(frames[0]?.origLen).toBe(14 + 20 + 32 + data.length);
      const d = decodeFrame(frames[0]!);
      expect(d.kind === 'packet' && [d.truncated, d.payloadLength, d.checksum]).toEqual([true, data.length, 'unchecked']);
      expect(d.kind === 'packet' && d.packet.proto === 'tcp' && d.packet.segment.payload).toEqual(data.subarray(0, 5));
    }
  });
});
