// pcapng files built by hand (draft-ietf-opsawg-pcapng) read back: sections in both byte orders, timestamp
// resolutions, simple and obsolete packet blocks, and blocks that carry no packets.
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/pcap/read.js';
import { bytesSource } from '../../src/pcap/types.js';
import { PcapngBuilder } from './builders.js';

const A = Uint8Array.from([1, 2, 3, 4, 5]);
const B = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);
const TSRESOL = 9;
const TSOFFSET = 14;

function read(bytes: Uint8Array) {
  const reader = openCapture(bytesSource(bytes));
  return { reader, frames: [...reader.frames()] };
}

function i64(value: bigint, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, value, le);
  return b;
}

describe('pcapng reader', () => {
  for (const le of [true, false]) {
    it(`reads a ${le ? 'little' : 'big'}-endian section with the default microsecond resolution`, () => {
      const bytes = new PcapngBuilder()
        .shb(le)
        .idb(1, 65535)
        .epb(0, 1_700_000_000_123_456n, A, 60)
        .epb(0, 1_700_000_001_000_001n, B)
        .bytes();
      const { reader, frames } = read(bytes);
      expect(reader.format).toBe('pcapng');
      expect(reader.byteOrder).toBe(le ? 'le' : 'be');
      expect(frames).toEqual([
        { index: 1, sec: 1_700_000_000, nsec: 123_456_000, linkType: 1, data: A, origLen: 60 },
        { index: 2, sec: 1_700_000_001, nsec: 1_000, linkType: 1, data: B, origLen: 8 },
      ]);
      expect(reader.warnings).toEqual([]);
      expect(reader.truncated).toBe(false);
    });
  }

  it('honours if_tsresol 9 (nanoseconds)', () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(1, 0, [[TSRESOL, Uint8Array.of(9)]])
      .epb(0, 1_700_000_000_987_654_321n, A)
      .bytes();
    expect(read(bytes).frames.map((f) => [f.sec, f.nsec])).toEqual([[1_700_000_000, 987_654_321]]);
  });

  it('honours if_tsresol 2^-20 (binary fractions), rounding down to a nanosecond', () => {
    // 3 s + 2^19 units = 3.5 s; 3 s + 1 unit = 3 s + 953.67... ns.
    const bytes = new PcapngBuilder()
      .shb()
      .idb(1, 0, [[TSRESOL, Uint8Array.of(0x80 | 20)]])
      .epb(0, (3n << 20n) + (1n << 19n), A)
      .epb(0, (3n << 20n) + 1n, A)
      .bytes();
    expect(read(bytes).frames.map((f) => [f.sec, f.nsec])).toEqual([
      [3, 500_000_000],
      [3, 953],
    ]);
  });

  it('adds if_tsoffset seconds', () => {
    const bytes = new PcapngBuilder()
      .shb(false)
      .idb(1, 0, [[TSOFFSET, i64(1_000_000n, false)]])
      .epb(0, 2_500_000n, A)
      .bytes();
    expect(read(bytes).frames.map((f) => [f.sec, f.nsec])).toEqual([[1_000_002, 500_000_000]]);
  });

  it('takes each frame\'s link type from the interface its block names', () => {
    const bytes = new PcapngBuilder().shb().idb(1, 0).idb(113, 0).epb(1, 0n, A).epb(0, 0n, B).bytes();
    expect(read(bytes).frames.map((f) => f.linkType)).toEqual([113, 1]);
  });

  it('reads a simple packet block: interface 0, the previous timestamp, data cut to the snaplen', () => {
    const bytes = new PcapngBuilder()
      .shb()
      .idb(101, 4)
      .spb(60, A.subarray(0, 4)) // no timestamp yet: 0
      .epb(0, 7_000_001n, A.subarray(0, 4))
      .spb(5, A) // snaplen 4 cuts it
      .bytes();
    const { frames } = read(bytes);
    expect(frames.map((f) => [f.index, f.sec, f.nsec, f.linkType, Array.from(f.data), f.origLen])).toEqual([
      [1, 0, 0, 101, [1, 2, 3, 4], 60],
      [2, 7, 1000, 101, [1, 2, 3, 4], 4],
      [3, 7, 1000, 101, [1, 2, 3, 4], 5],
    ]);
  });

  it('reads the obsolete packet block (type 2)', () => {
    const bytes = new PcapngBuilder().shb().idb(1, 0).pb(0, 42_000_000n, B).bytes();
    expect(read(bytes).frames.map((f) => [f.sec, Array.from(f.data)])).toEqual([[42, Array.from(B)]]);
  });

  it('reads several sections of different byte orders, each with its own interfaces', () => {
    const bytes = new PcapngBuilder()
      .shb(true)
      .idb(1, 0)
      .epb(0, 1_000_000n, A)
      .shb(false, [], 40n)
      .idb(229, 0, [[TSRESOL, Uint8Array.of(9)]])
      .epb(0, 2_000_000_000n, B)
      .bytes();
    const { reader, frames } = read(bytes);
    expect(reader.byteOrder).toBe('le');
    expect(frames.map((f) => [f.index, f.sec, f.linkType])).toEqual([
      [1, 1, 1],
      [2, 2, 229],
    ]);
  });

  it('forgets the interfaces of the previous section', () => {
    const bytes = new PcapngBuilder().shb().idb(1, 0).idb(1, 0).shb().idb(1, 0).epb(1, 0n, A).bytes();
    const { reader, frames } = read(bytes);
    expect(frames).toEqual([]);
    expect(reader.truncated).toBe(true);
    expect(reader.warnings).toEqual([expect.stringMatching(/names interface 1, but its section describes 1 interface/)]);
  });

  it('skips name resolution, interface statistics, decryption secrets and custom blocks silently', () => {
    const eight = new Uint8Array(8);
    const bytes = new PcapngBuilder()
      .shb()
      .idb(1, 0)
      .block(4, eight) // NRB
      .epb(0, 0n, A)
      .block(5, new Uint8Array(12)) // ISB
      .block(0x0a, eight) // DSB
      .block(0xbad, eight) // custom
      .epb(0, 0n, B)
      .bytes();
    const { reader, frames } = read(bytes);
    expect(frames.map((f) => f.data)).toEqual([A, B]);
    expect(reader.warnings).toEqual([]);
  });

  it('skips unknown block types with one warning per type', () => {
    const bytes = new PcapngBuilder()
      .shb()
      .block(0x1234, new Uint8Array(4))
      .idb(1, 0)
      .block(0x1234, new Uint8Array(0))
      .epb(0, 0n, A)
      .bytes();
    const { reader, frames } = read(bytes);
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toBe(false);
    expect(reader.warnings).toEqual([expect.stringMatching(/^skipped pcapng block of type 0x00001234 \(block 2\) at byte 28/)]);
  });

  it('ignores the options after an enhanced packet block\'s data', () => {
    const comment = new TextEncoder().encode('a comment');
    const bytes = new PcapngBuilder().shb().idb(1, 0).epb(0, 0n, A, 5, [[1, comment]]).epb(0, 0n, B).bytes();
    expect(read(bytes).frames.map((f) => f.data)).toEqual([A, B]);
  });
});
