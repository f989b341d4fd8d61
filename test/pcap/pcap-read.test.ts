// Classic pcap files built by hand (draft-ietf-opsawg-pcap sections 4-5) read back field by field.
import { describe, expect, it } from 'vitest';
import { detectCapture, openCapture } from '../../src/pcap/read.js';
import { bytesSource } from '../../src/pcap/types.js';
import { pcapFile, pcapHeader } from './builders.js';

const A = Uint8Array.from([1, 2, 3, 4, 5]);
const B = Uint8Array.from([9, 8, 7]);

function readAll(bytes: Uint8Array, maxFrames?: number) {
  const reader = openCapture(bytesSource(bytes), maxFrames === undefined ? {} : { maxFrames });
  const frames = [...reader.frames()];
  return { reader, frames };
}

describe('classic pcap reader', () => {
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'little' : 'big';
    it(`reads a ${order}-endian microsecond file: timestamps, lengths, link type, frame numbers`, () => {
      const bytes = pcapFile({ littleEndian, linkType: 1 }, [
        { sec: 1_700_000_000, frac: 123_456, data: A, origLen: 60 },
        { sec: 1_700_000_001, frac: 999_999, data: B },
      ]);
      const { reader, frames } = readAll(bytes);
      expect(reader.format).toBe('pcap');
      expect(reader.byteOrder).toBe(littleEndian ? 'le' : 'be');
      expect(frames).toEqual([
        { index: 1, sec: 1_700_000_000, nsec: 123_456_000, linkType: 1, data: A, origLen: 60 },
        { index: 2, sec: 1_700_000_001, nsec: 999_999_000, linkType: 1, data: B, origLen: 3 },
      ]);
      expect(reader.warnings).toEqual([]);
      expect(reader.truncated).toBe(false);
    });

    it(`reads a ${order}-endian nanosecond file`, () => {
      const bytes = pcapFile({ littleEndian, nanos: true, linkType: 113 }, [{ sec: 5, frac: 987_654_321, data: A }]);
      const { reader, frames } = readAll(bytes);
      expect(reader.byteOrder).toBe(littleEndian ? 'le' : 'be');
      expect(frames.map((f) => [f.sec, f.nsec, f.linkType])).toEqual([[5, 987_654_321, 113]]);
    });
  }

  it('takes the link type from the low 16 bits, ignoring the FCS bits above them', () => {
    const fcsFlagged = 1 | 0x04000000 | (2 << 28);
    const { frames } = readAll(pcapFile({ linkType: fcsFlagged }, [{ sec: 0, frac: 0, data: A }]));
    expect(frames[0]?.linkType).toBe(1);
  });

  it('reads a header with no records as zero frames', () => {
    const { reader, frames } = readAll(pcapHeader());
    expect(frames).toEqual([]);
    expect(reader.truncated).toBe(false);
  });

  it('copies frame data out of the source', () => {
    const bytes = pcapFile({}, [{ sec: 0, frac: 0, data: A }]);
    const { frames } = readAll(bytes);
    bytes[24 + 16] = 0xff;
    expect(frames[0]?.data[0]).toBe(1);
  });

  it('gives plain Uint8Array copies even when the source hands out Node Buffers (whose slice() is a view)', () => {
    const bytes = Buffer.from(pcapFile({}, [{ sec: 0, frac: 0, data: A }]));
    const { frames } = readAll(bytes);
    bytes[24 + 16] = 0xff;
    expect(Buffer.isBuffer(frames[0]?.data)).toBe(false);
    expect(frames[0]?.data[0]).toBe(1);
  });

  for (const snaplen of [0, 0xffffffff]) {
    it(`warns about snapshot length ${snaplen} but reads the records`, () => {
      const { reader, frames } = readAll(pcapFile({ snaplen }, [{ sec: 1, frac: 0, data: A }]));
      expect(frames).toHaveLength(1);
      expect(reader.warnings).toEqual([expect.stringContaining(`implausible snapshot length ${snaplen}`)]);
      expect(reader.truncated).toBe(false);
    });
  }

  it('warns once when records capture more than the snapshot length or their original length', () => {
    const bytes = pcapFile({ snaplen: 4 }, [
      { sec: 0, frac: 0, data: A },
      { sec: 0, frac: 0, data: A, origLen: 2 },
      { sec: 0, frac: 0, data: A, origLen: 2 },
    ]);
    const { reader, frames } = readAll(bytes);
    expect(frames).toHaveLength(3);
    expect(reader.warnings).toEqual([
      'pcap record 1 captures 5 bytes, more than the file\'s snapshot length 4',
      'pcap record 2 captures 5 bytes, more than its original length 2',
    ]);
  });

  it('carries a microseconds field of a second or more into the seconds, with a warning', () => {
    const { reader, frames } = readAll(pcapFile({}, [{ sec: 10, frac: 2_500_000, data: A }]));
    expect([frames[0]?.sec, frames[0]?.nsec]).toEqual([12, 500_000_000]);
    expect(reader.warnings[0]).toMatch(/2500000 microseconds/);
  });

  it('stops after maxFrames with a warning when more frames follow', () => {
    const records = [1, 2, 3].map((sec) => ({ sec, frac: 0, data: A }));
    const { reader, frames } = readAll(pcapFile({}, records), 2);
    expect(frames.map((f) => f.sec)).toEqual([1, 2]);
    expect(reader.truncated).toBe(true);
    expect(reader.warnings).toEqual(['stopped after 2 frames (maxFrames)']);
  });

  it('does not call a file truncated when maxFrames equals its frame count', () => {
    const { reader, frames } = readAll(pcapFile({}, [{ sec: 1, frac: 0, data: A }]), 1);
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toBe(false);
    expect(reader.warnings).toEqual([]);
  });

  it('starts again, with fresh warnings, each time frames() is called', () => {
    const reader = openCapture(bytesSource(pcapFile({ snaplen: 0 }, [{ sec: 1, frac: 0, data: A }])));
    expect([...reader.frames()]).toHaveLength(1);
    expect([...reader.frames()]).toHaveLength(1);
    expect(reader.warnings).toHaveLength(1);
  });
});

describe('detectCapture', () => {
  const cases: Array<[string, number[], 'pcap' | 'pcapng' | undefined]> = [
    ['pcap µs little-endian', [0xd4, 0xc3, 0xb2, 0xa1], 'pcap'],
    ['pcap µs big-endian', [0xa1, 0xb2, 0xc3, 0xd4], 'pcap'],
    ['pcap ns little-endian', [0x4d, 0x3c, 0xb2, 0xa1], 'pcap'],
    ['pcap ns big-endian', [0xa1, 0xb2, 0x3c, 0x4d], 'pcap'],
    ['pcapng', [0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
    ['zeros', [0, 0, 0, 0], undefined],
    ['too short', [0xd4, 0xc3], undefined],
    ['gzip', [0x1f, 0x8b, 0x08, 0x00], undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`${name} -> ${String(expected)}`, () => {
      expect(detectCapture(Uint8Array.from(bytes))).toBe(expected);
    });
  }
});
