// The bytes the writers produce, checked field by field against the format drafts by hand.
import { describe, expect, it } from 'vitest';
import { macFor, writePcap, writePcapng, type PacketRecord } from '../../src/pcap/write.js';
import { AddressError } from '../../src/wire/errors.js';

const udp: PacketRecord = {
  timeMicros: 2_000_003,
  packet: { proto: 'udp', src: '10.1.2.3', dst: '10.4.5.6', datagram: { srcPort: 1, dstPort: 2, payload: Uint8Array.of(0xaa) } },
};
const FRAME_LENGTH = 14 + 20 + 8 + 1;

function le(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

describe('writePcap', () => {
  it('writes a little-endian 2.4 header with snaplen and LINKTYPE_ETHERNET, and one record per packet', () => {
    const bytes = writePcap([udp], { epochSeconds: 100 });
    expect(Array.from(bytes.subarray(0, 24))).toEqual([
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x00, 1, 0, 0, 0,
    ]);
    const v = le(bytes);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint32(32, true), v.getUint32(36, true)]).toEqual([102, 3, FRAME_LENGTH, FRAME_LENGTH]);
    expect(bytes.length).toBe(24 + 16 + FRAME_LENGTH);
  });

  it('uses the nanosecond magic and nanoseconds with resolution "ns"', () => {
    const bytes = writePcap([udp], { resolution: 'ns' });
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x4d, 0x3c, 0xb2, 0xa1]);
    expect(le(bytes).getUint32(28, true)).toBe(3000);
  });

  it('frames each packet in Ethernet II with MACs from the addresses and the IPv4 ethertype', () => {
    const frame = writePcap([udp]).subarray(40);
    expect(Array.from(frame.subarray(0, 14))).toEqual([2, 0, 10, 4, 5, 6, 2, 0, 10, 1, 2, 3, 0x08, 0x00]);
    expect(frame[14]).toBe(0x45);
  });

  it('uses ethertype 0x86dd for IPv6', () => {
    const v6: PacketRecord = { timeMicros: 0, packet: { ...udp.packet, src: '::1', dst: '::2' } };
    expect(Array.from(writePcap([v6]).subarray(40 + 12, 40 + 15))).toEqual([0x86, 0xdd, 0x60]);
  });

  it('rejects negative or fractional times and bad snaplens with a RangeError', () => {
    expect(() => writePcap([{ ...udp, timeMicros: -1 }])).toThrow(/record 1: timeMicros must be a non-negative integer/);
    expect(() => writePcap([{ ...udp, timeMicros: 0.5 }])).toThrow(RangeError);
    expect(() => writePcap([udp], { snaplen: 0 })).toThrow(/snaplen must be an integer/);
    expect(() => writePcap([udp], { epochSeconds: 2 ** 32 })).toThrow(/32-bit seconds/);
  });

  it('lets the wire layer reject a packet it cannot encode', () => {
    const bad: PacketRecord = { timeMicros: 0, packet: { ...udp.packet, src: '10.0.0.300' } };
    expect(() => writePcap([bad])).toThrow(AddressError);
  });
});

describe('writePcapng', () => {
  /** The blocks of a little-endian pcapng as [type, body]. */
  function blocks(bytes: Uint8Array): Array<[number, Uint8Array]> {
    const out: Array<[number, Uint8Array]> = [];
    const v = le(bytes);
    for (let at = 0; at < bytes.length; ) {
      const total = v.getUint32(at + 4, true);
      expect(v.getUint32(at + total - 4, true)).toBe(total);
      out.push([v.getUint32(at, true), bytes.subarray(at + 8, at + total - 4)]);
      at += total;
    }
    return out;
  }

  function optionsOf(body: Uint8Array): Record<number, string> {
    const v = le(body);
    const out: Record<number, string> = {};
    for (let at = 0; at + 4 <= body.length; ) {
      const code = v.getUint16(at, true);
      const length = v.getUint16(at + 2, true);
      if (code === 0) break;
      out[code] = Array.from(body.subarray(at + 4, at + 4 + length), (b) => String.fromCharCode(b)).join('');
      at += 4 + Math.ceil(length / 4) * 4;
    }
    return out;
  }

  it('writes a section header naming synack, one Ethernet interface with if_tsresol 6, and EPBs', () => {
    const bytes = writePcapng([udp, udp], { comment: 'test run', hardware: 'simulated', epochSeconds: 5, snaplen: 1000 });
    const bs = blocks(bytes);
    expect(bs.map(([t]) => t)).toEqual([0x0a0d0d0a, 1, 6, 6]);
    const shb = bs[0]![1];
    expect(le(shb).getUint32(0, true)).toBe(0x1a2b3c4d);
    expect([le(shb).getUint16(4, true), le(shb).getUint16(6, true), le(shb).getBigInt64(8, true)]).toEqual([1, 0, -1n]);
    expect(optionsOf(shb.subarray(16))).toEqual({ 1: 'test run', 2: 'simulated', 4: 'synack' });
    const idb = bs[1]![1];
    expect([le(idb).getUint16(0, true), le(idb).getUint32(4, true)]).toEqual([1, 1000]);
    expect(optionsOf(idb.subarray(8))).toEqual({ 9: '\u0006' });
    const epb = le(bs[2]![1]);
    const units = (BigInt(epb.getUint32(4, true)) << 32n) | BigInt(epb.getUint32(8, true));
    expect([epb.getUint32(0, true), units, epb.getUint32(12, true), epb.getUint32(16, true)]).toEqual([0, 7_000_003n, FRAME_LENGTH, FRAME_LENGTH]);
  });

  it('writes if_tsresol 9 and nanosecond units with resolution "ns"', () => {
    const bs = blocks(writePcapng([udp], { resolution: 'ns', epochSeconds: 1_700_000_000 }));
    expect(optionsOf(bs[1]![1].subarray(8))).toEqual({ 9: '\u0009' });
    const epb = le(bs[2]![1]);
    const units = (BigInt(epb.getUint32(4, true)) << 32n) | BigInt(epb.getUint32(8, true));
    expect(units).toBe(1_700_000_002_000_003_000n);
  });
});

describe('macFor', () => {
  it('is 02:00 and the IPv4 address', () => {
    expect(Array.from(macFor('192.168.1.20'))).toEqual([2, 0, 192, 168, 1, 20]);
  });
  it('is 02:00 and the last four bytes of an IPv6 address', () => {
    expect(Array.from(macFor('2001:db8::a0b:c0d'))).toEqual([2, 0, 0x0a, 0x0b, 0x0c, 0x0d]);
  });
  it('throws AddressError for a bad address', () => {
    expect(() => macFor('nope')).toThrow(AddressError);
  });
});
