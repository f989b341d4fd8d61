// Bounded memory: 2 GB sparse files are read through a ByteSource in small pieces, never allocated whole.
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/pcap/errors.js';
import { openCapture } from '../../src/pcap/read.js';
import { PcapngBuilder, fileSource, pcapHeader } from './builders.js';

const TWO_GB = 2 ** 31;
const dir = mkdtempSync(join(tmpdir(), 'synack-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sparse file of `size` bytes starting with `head`, the rest zeros. */
function sparse(name: string, head: Uint8Array, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, head);
  truncateSync(path, size);
  return path;
}

describe('2 GB sparse files', () => {
  it('a pcap header then zeros: zero-length records, read in small pieces until maxFrames', () => {
    const file = fileSource(sparse('zeros.pcap', pcapHeader(), TWO_GB));
    try {
      const reader = openCapture(file.source, { maxFrames: 20_000 });
      let count = 0;
      for (const frame of reader.frames()) {
        count++;
        expect(frame.data.length).toBe(0);
      }
      expect(count).toBe(20_000);
      expect(reader.truncated).toBe(true);
      expect(reader.warnings).toEqual(['stopped after 20000 frames (maxFrames)']);
      expect(Math.max(...file.reads)).toBeLessThanOrEqual(65_536);
      // 20001 records of 16 bytes were looked at: a handful of 64 KiB windows, not the file.
      expect(file.reads.reduce((a, b) => a + b, 0)).toBeLessThan(1_000_000);
    } finally {
      file.close();
    }
  });

  it('2 GB of zeros: CaptureError at once, after reading a few bytes', () => {
    const file = fileSource(sparse('zeros.bin', new Uint8Array(0), TWO_GB));
    try {
      expect(() => openCapture(file.source)).toThrow(CaptureError);
      expect(() => openCapture(file.source)).toThrow(/first 4 bytes are 00 00 00 00/);
      expect(Math.max(...file.reads)).toBeLessThanOrEqual(65_536);
    } finally {
      file.close();
    }
  });

  it('a pcapng section header then zeros: stops at the first zero-length block with a warning', () => {
    const head = new PcapngBuilder().shb().idb(1, 0).bytes();
    const file = fileSource(sparse('zeros.pcapng', head, TWO_GB));
    try {
      const reader = openCapture(file.source);
      expect([...reader.frames()]).toEqual([]);
      expect(reader.truncated).toBe(true);
      expect(reader.warnings).toEqual([expect.stringMatching(/at byte 48 has total length 0, less than the 12 it needs/)]);
      expect(Math.max(...file.reads)).toBeLessThanOrEqual(65_536);
    } finally {
      file.close();
    }
  });

  it('a pcapng block claiming almost 2 GB is skipped by reading only its ends', () => {
    // An unknown block spanning the whole file: its trailing length is written at the very end.
    const head = new PcapngBuilder().shb().bytes();
    const path = sparse('big-block.pcapng', head, TWO_GB);
    const total = TWO_GB - head.length;
    const ends = new Uint8Array(8);
    new DataView(ends.buffer).setUint32(0, 0x1234, true);
    new DataView(ends.buffer).setUint32(4, total, true);
    const tail = new Uint8Array(4);
    new DataView(tail.buffer).setUint32(0, total, true);
    const fd = openSync(path, 'r+');
    writeSync(fd, ends, 0, 8, head.length);
    writeSync(fd, tail, 0, 4, TWO_GB - 4);
    closeSync(fd);
    const file = fileSource(path);
    try {
      const reader = openCapture(file.source);
      expect([...reader.frames()]).toEqual([]);
      expect(reader.truncated).toBe(false);
      expect(reader.warnings).toEqual([expect.stringMatching(/skipped pcapng block of type 0x00001234/)]);
      expect(file.reads.reduce((a, b) => a + b, 0)).toBeLessThan(200_000);
    } finally {
      file.close();
    }
  });
});
