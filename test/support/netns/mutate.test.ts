// The pcap patcher on hand-built files (no root needed): record layout round trips, frames are re-encoded with
// correct checksums while everything else stays, and the mutation recipes say clearly when a capture lacks what
// they need.
import { describe, expect, it } from 'vitest';
import { decodeIPv4, encodePacket } from '../../../src/wire/ip-codec.js';
import { pseudoHeaderSum } from '../../../src/wire/checksum.js';
import { parseAddressPair } from '../../../src/wire/address.js';
import { ACK, FIN, PSH, SYN, makeSegment } from '../../../src/wire/segment.js';
import type { Segment } from '../../../src/wire/segment.js';
import { ackOfUnsent, dataAfterFin, mutateTcpFrame, rstOutOfWindow, tcpFrames, wrongSynAckAck } from './mutate.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, readPcap, writePcap } from './pcap-file.js';
import type { PcapFile, PcapRecord } from './pcap-file.js';

const C = '10.0.0.1';
const S = '10.0.0.2';

function header(linkType: number, littleEndian = true, nanoseconds = false): Uint8Array {
  const h = new Uint8Array(24);
  const v = new DataView(h.buffer);
  v.setUint32(0, nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, littleEndian);
  v.setUint16(4, 2, littleEndian);
  v.setUint16(6, 4, littleEndian);
  v.setUint32(16, 262144, littleEndian);
  v.setUint32(20, linkType, littleEndian);
  return h;
}

function ethernet(ip: Uint8Array, padding = 0): Uint8Array {
  const f = new Uint8Array(14 + ip.length + padding);
  f[12] = 0x08; // IPv4
  f.set(ip, 14);
  f.fill(0xee, 14 + ip.length);
  return f;
}

/** A little handshake + data + close, as Ethernet frames with correct checksums. */
function capture(segments: Array<[string, string, Partial<Segment>]>, padding = 0): Uint8Array {
  const file: PcapFile = {
    littleEndian: true,
    nanoseconds: false,
    header: header(LINKTYPE_ETHERNET),
    linkType: LINKTYPE_ETHERNET,
    records: segments.map(([src, dst, fields], i) => {
      const srcPort = src === C ? 40000 : 80;
      const segment = makeSegment({ srcPort, dstPort: srcPort === 80 ? 40000 : 80, window: 1000, ...fields });
      const data = ethernet(encodePacket({ proto: 'tcp', src, dst, ttl: 61, segment }, 0x1234 + i), padding);
      return { seconds: 1000 + i, fraction: 5, originalLength: data.length, data };
    }),
  };
  return writePcap(file);
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const ECHO: Array<[string, string, Partial<Segment>]> = [
  [C, S, { flags: SYN, seq: 100 }],
  [S, C, { flags: SYN | ACK, seq: 500, ack: 101 }],
  [C, S, { flags: ACK, seq: 101, ack: 501 }],
  [C, S, { flags: PSH | ACK, seq: 101, ack: 501, payload: text('hi') }],
  [S, C, { flags: ACK, seq: 501, ack: 103 }],
  [C, S, { flags: FIN | ACK, seq: 103, ack: 501 }],
  [S, C, { flags: FIN | ACK, seq: 501, ack: 104 }],
  [C, S, { flags: ACK, seq: 104, ack: 502 }],
];

describe('pcap-file', () => {
  it('reads and writes records byte for byte, in either byte order and with nanosecond timestamps', () => {
    const bytes = capture(ECHO);
    expect(writePcap(readPcap(bytes))).toEqual(bytes);
    const file = readPcap(bytes);
    for (const [le, ns] of [
      [false, false],
      [true, true],
    ] as const) {
      const other = writePcap({ ...file, littleEndian: le, nanoseconds: ns, header: header(LINKTYPE_ETHERNET, le, ns) });
      const back = readPcap(other);
      expect(back.littleEndian).toBe(le);
      expect(back.nanoseconds).toBe(ns);
      expect(back.records).toEqual(file.records);
    }
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => readPcap(new Uint8Array(10))).toThrow(/shorter than the 24-byte header/);
    expect(() => readPcap(new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, ...new Array<number>(28).fill(0)]))).toThrow(/pcapng/);
    expect(() => readPcap(new Uint8Array(24))).toThrow(/not a pcap file: magic 0x00000000/);
    const bytes = capture(ECHO.slice(0, 1));
    expect(() => readPcap(bytes.subarray(0, bytes.length - 1))).toThrow(/record 0 claims \d+ bytes/);
  });
});

describe('mutateTcpFrame', () => {
  it('re-encodes only the chosen frame, keeping the IP identification, TTL, timestamp and link padding', () => {
    const original = capture(ECHO, 6);
    const mutated = mutateTcpFrame(original, 4, (s) => ({ ...s, payload: text('four') }));
    const a = readPcap(original);
    const b = readPcap(mutated);
    b.records.forEach((r, i) => (i === 4 ? undefined : expect(r).toEqual(a.records[i])));
    const rec = b.records[4];
    expect(rec?.data.length).toBe((a.records[4]?.data.length ?? 0) + 4);
    expect(rec?.originalLength).toBe(rec?.data.length);
    expect(rec?.seconds).toBe(1004);
    expect(rec?.data.subarray(-6)).toEqual(new Uint8Array(6).fill(0xee));
    const ip = decodeIPv4(rec?.data.subarray(14) ?? new Uint8Array()); // throws on a bad header checksum
    expect(ip).toMatchObject({ ttl: 61, id: 0x1238 });
    const frame = tcpFrames(mutated).find((f) => f.index === 4);
    expect(frame?.checksum).toBe('correct');
    expect(new TextDecoder().decode(frame?.segment.payload)).toBe('four');
  });

  it('tells correct, offloaded and wrong TCP checksums apart', () => {
    const bytes = capture(ECHO.slice(0, 3));
    const file = readPcap(bytes);
    const tcpAt = 14 + 20 + 16;
    const offloaded = file.records[1]?.data as Uint8Array;
    const { src, dst } = parseAddressPair(S, C);
    const partial = pseudoHeaderSum(src, dst, 6, offloaded.length - 34);
    offloaded[tcpAt] = partial >>> 8;
    offloaded[tcpAt + 1] = partial & 0xff;
    const wrong = file.records[2]?.data as Uint8Array;
    wrong[tcpAt] = (wrong[tcpAt] as number) ^ 0xff;
    expect(tcpFrames(writePcap(file)).map((f) => f.checksum)).toEqual(['correct', 'offloaded', 'wrong']);
  });

  it('finds the IP header behind a Linux cooked (SLL) header', () => {
    const eth = readPcap(capture(ECHO.slice(0, 1)));
    const ip = eth.records[0]?.data.subarray(14) as Uint8Array;
    const sll = new Uint8Array(16 + ip.length);
    sll[14] = 0x08;
    sll.set(ip, 16);
    const record = { ...(eth.records[0] as PcapRecord), data: sll, originalLength: sll.length };
    const file = { ...eth, header: header(LINKTYPE_LINUX_SLL), linkType: LINKTYPE_LINUX_SLL, records: [record] };
    const mutated = mutateTcpFrame(writePcap(file), 0, (s) => ({ ...s, seq: 7 }));
    expect(tcpFrames(mutated)[0]?.segment.seq).toBe(7);
    expect(readPcap(mutated).records[0]?.data.subarray(0, 16)).toEqual(sll.subarray(0, 16));
  });

  it('refuses a frame that does not exist', () => {
    expect(() => mutateTcpFrame(capture(ECHO), 8, (s) => s)).toThrow(/frame 8 does not exist \(the capture has 8 frames\)/);
  });
});

describe('mutation recipes', () => {
  it('pick the SYN-ACK, the bare ACK after the first FIN from its sender, and the ACK answering the first data', () => {
    const bytes = capture(ECHO);
    expect(wrongSynAckAck(bytes).frame).toBe(1);
    expect(dataAfterFin(bytes).frame).toBe(7);
    expect(ackOfUnsent(bytes).frame).toBe(4);
  });

  it('say what the capture lacks', () => {
    const bytes = capture(ECHO);
    expect(() => rstOutOfWindow(bytes)).toThrow('the capture has no RST');
    expect(() => dataAfterFin(capture(ECHO.slice(0, 6)))).toThrow(/no bare ACK from the FIN's sender after frame 5/);
  });
});
