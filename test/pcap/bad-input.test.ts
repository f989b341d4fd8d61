// Broken capture files: each gives a CaptureError with a one-line message, or a partial result with a warning,
// never another exception and never a hang.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/pcap/decode-frame.js';
import { CaptureError } from '../../src/pcap/errors.js';
import { openCapture } from '../../src/pcap/read.js';
import { bytesSource } from '../../src/pcap/types.js';
import { concat, ethernet, ipv4Packet, pcapFile, pcapHeader, pcapRecord, PcapngBuilder, tcpBytes } from './builders.js';

type Outcome = { error: string } | { frames: number; warnings: string[]; truncated: boolean; skipped: string[] };

/** Everything a caller would do with a file; only CaptureError may escape, and is turned into `error`. */
function outcome(bytes: Uint8Array): Outcome {
  try {
    const reader = openCapture(bytesSource(bytes));
    const skipped: string[] = [];
    let frames = 0;
    for (const frame of reader.frames()) {
      frames++;
      const d = decodeFrame(frame);
      if (d.kind === 'skipped') skipped.push(d.reason);
    }
    return { frames, warnings: reader.warnings, truncated: reader.truncated, skipped };
  } catch (e) {
    if (!(e instanceof CaptureError)) throw e;
    return { error: e.message };
  }
}

function expectError(bytes: Uint8Array, message: RegExp | string): void {
  const o = outcome(bytes);
  if (!('error' in o)) throw new Error(`expected a CaptureError, got ${JSON.stringify(o)}`);
  expect(o.error).not.toMatch(/\n/);
  if (typeof message === 'string') expect(o.error).toBe(message);
  else expect(o.error).toMatch(message);
}

function expectPartial(bytes: Uint8Array, frames: number, warning: RegExp): void {
  const o = outcome(bytes);
  if ('error' in o) throw new Error(`expected a partial result, got CaptureError: ${o.error}`);
  expect(o.frames).toBe(frames);
  expect(o.truncated).toBe(true);
  expect(o.warnings).toEqual([expect.stringMatching(warning)]);
  for (const w of o.warnings) expect(w).not.toMatch(/\n/);
}

const DATA = ethernet(0x0800, ipv4Packet({}, (ph) => tcpBytes({}, ph)));
const REC = { sec: 1, frac: 0, data: DATA };
const TWO = pcapFile({}, [REC, REC]);

describe('files that are not captures', () => {
  it('0 bytes', () => expectError(new Uint8Array(0), 'empty file (0 bytes)'));
  for (const n of [1, 2, 3]) {
    it(`${n} byte(s)`, () => expectError(new Uint8Array(n), `too short to be a capture file: ${n} byte(s) (a pcap header is 24 bytes)`));
  }
  for (let n = 4; n < 24; n++) {
    it(`${n} zero bytes`, () =>
      expectError(new Uint8Array(n), 'not a capture file: the first 4 bytes are 00 00 00 00 (expected a pcap or pcapng magic number)'));
    it(`a pcap header cut to ${n} bytes`, () =>
      expectError(pcapHeader().subarray(0, n), `pcap file header is cut short: the file has ${n} bytes, the header needs 24`));
  }
  it('a pcapng section header cut short', () =>
    expectError(new PcapngBuilder().shb().bytes().subarray(0, 20), /^pcapng section header block at byte 0 is cut short/));
  it('gzip', () => expectError(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0), /gzip-compressed .*decompress it first/));
  it('text', () => expectError(new TextEncoder().encode('GET / HTTP/1.1\r\n'), /first 4 bytes are 47 45 54 20/));
  it('the modified (Kuznetzov) pcap variant', () => expectError(Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1, 2, 0, 4, 0), /Kuznetzov/));
  it('pcap version 3', () => expectError(pcapHeader({ versionMajor: 3 }), 'pcap version 3.4 is not supported (expected 2.4)'));
});

describe('damaged pcap files', () => {
  it('cut inside a record header: the records before it, and a warning', () =>
    expectPartial(TWO.subarray(0, 24 + 16 + DATA.length + 10), 1, /^pcap record 2 at byte 94 is cut short: the file ends 10 bytes into its 16-byte header$/));

  it('cut inside the data of a later record', () =>
    expectPartial(TWO.subarray(0, TWO.length - 5), 1, /^pcap record 2 at byte 94 is cut short: the file ends 49 bytes into its 54 captured bytes$/));

  it('cut inside the data of the first record', () => expectError(TWO.subarray(0, 24 + 16 + 20), /^pcap record 1 at byte 24 is cut short/));

  it('a first record claiming 3 GB', () =>
    expectError(pcapFile({}, [{ ...REC, caplen: 3_000_000_000 }]), 'pcap record 1 at byte 24 claims 3000000000 captured bytes, more than the file\'s remaining 54'));

  it('a later record claiming 3 GB', () =>
    expectPartial(pcapFile({}, [REC, { ...REC, caplen: 3_000_000_000 }]), 1, /^pcap record 2 at byte 94 claims 3000000000 captured bytes/));

  it('a record claiming more than 256 KiB although the file has them', () => {
    const big = concat(pcapHeader(), pcapRecord(REC), pcapRecord({ sec: 0, frac: 0, data: new Uint8Array(300_000) }));
    expectPartial(big, 1, /claims 300000 captured bytes, more than the 262144 a record may hold/);
  });

  for (const snaplen of [0, 0xffffffff]) {
    it(`a bogus snaplen ${snaplen} is a warning only`, () => {
      const o = outcome(pcapFile({ snaplen }, [REC]));
      expect(o).toEqual({ frames: 1, warnings: [expect.stringMatching(/implausible snapshot length/)], truncated: false, skipped: [] });
    });
  }

  it('frames whose IP header lengths run past their end are skipped with a reason, not thrown', () => {
    const lying = ipv4Packet({ ihl: 15 }, (ph) => tcpBytes({}, ph));
    const o = outcome(pcapFile({}, [{ sec: 0, frac: 0, data: ethernet(0x0800, lying) }]));
    expect('skipped' in o && o.skipped).toEqual([expect.stringMatching(/IHL 15/)]);
  });
});

describe('damaged pcapng files', () => {
  const good = () => new PcapngBuilder().shb().idb(1, 0).epb(0, 0n, DATA);

  it('a block length that is not a multiple of 4', () =>
    expectPartial(good().block(6, new Uint8Array(20), { total: 30 }).bytes(), 1, /block 4\) at byte \d+ has total length 30, not a multiple of 4/));

  it('a block length smaller than 12', () =>
    expectPartial(good().block(6, new Uint8Array(20), { total: 8 }).bytes(), 1, /has total length 8, less than the 12 it needs/));

  it('a block length larger than the file', () =>
    expectPartial(good().block(6, new Uint8Array(20), { total: 4000 }).bytes(), 1, /is cut short: it claims 4000 bytes, the file has 32 left/));

  it('a trailing length that does not match', () =>
    expectPartial(good().block(6, new Uint8Array(20), { trailing: 36 }).bytes(), 1, /has trailing length 36, not matching its total length 32/));

  it('a file cut in the middle of a block', () => {
    const bytes = good().epb(0, 0n, DATA).bytes();
    expectPartial(bytes.subarray(0, bytes.length - 7), 1, /enhanced packet block \(block 4\) .* is cut short/);
  });

  it('a file ending with a few stray bytes', () =>
    expectPartial(concat(good().bytes(), Uint8Array.of(1, 2, 3)), 1, /block 4 at byte \d+ is cut short: the file ends 3 bytes into it/));

  it('an enhanced packet block before any interface description', () =>
    expectPartial(new PcapngBuilder().shb().epb(0, 0n, DATA).bytes(), 0, /names interface 0, but its section describes 0 interface/));

  it('a simple packet block before any interface description', () =>
    expectPartial(new PcapngBuilder().shb().spb(4, new Uint8Array(4)).bytes(), 0, /simple packet block .* names interface 0/));

  it('an enhanced packet block whose captured length runs past the block', () => {
    const bytes = good().bytes();
    const v = new DataView(bytes.buffer);
    const epb = 28 + 20;
    v.setUint32(epb + 20, 200, true);
    expectPartial(bytes, 0, /claims 200 captured bytes, more than the block holds/);
  });

  it('an interface description block shorter than its fixed fields', () =>
    expectPartial(new PcapngBuilder().shb().block(1, new Uint8Array(4)).bytes(), 0, /interface description block .* has total length 16, less than the 20/));

  it('a first section header with a bad byte-order magic', () => {
    const bytes = good().bytes();
    bytes[8] = 0;
    expectError(bytes, /^pcapng section header block at byte 0 has byte-order magic 00 3c 2b 1a/);
  });

  it('a first section header with an unsupported version', () => {
    const bytes = good().bytes();
    bytes[12] = 2;
    expectError(bytes, 'pcapng section header block at byte 0 has version 2.0, not the supported 1.x');
  });

  it('a first section header whose length is wrong', () => {
    const bytes = good().bytes();
    bytes[4] = 30;
    expectError(bytes, 'pcapng section header block at byte 0 has total length 30, not a multiple of 4');
  });

  it('a damaged later section header', () => {
    const second = new PcapngBuilder().shb().bytes();
    second[9] = 0;
    expectPartial(concat(good().bytes(), second), 1, /section header block \(block 4\) .* has byte-order magic/);
  });
});
