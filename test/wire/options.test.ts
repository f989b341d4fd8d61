import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TcpOptionError } from '../../src/wire/errors.js';
import { decodeOptions, encodeOptions } from '../../src/wire/options.js';
import type { TcpOption } from '../../src/wire/segment.js';
import { arbMutation, arbOptionList, hex, refOptionLength } from './helpers.js';

const bytesOf = (opts: TcpOption[]): number[] => Array.from(encodeOptions(opts));

describe('known option bytes', () => {
  it('MSS 1460 is 02 04 05 b4 (RFC 9293 3.2)', () => {
    expect(bytesOf([{ kind: 'mss', mss: 1460 }])).toEqual([0x02, 0x04, 0x05, 0xb4]);
    expect(decodeOptions(hex('02 04 05 b4'))).toEqual([{ kind: 'mss', mss: 1460 }]);
  });

  // tcp_options_write in net/ipv4/tcp_output.c: on a Linux loopback SYN with timestamps.
  const linuxSyn: TcpOption[] = [
    { kind: 'mss', mss: 65495 },
    { kind: 'sackPermitted' },
    { kind: 'timestamps', tsVal: 0x8a3b1c2d, tsEcr: 0 },
    { kind: 'nop' },
    { kind: 'windowScale', shift: 10 },
  ];
  const linuxSynBytes = hex('02 04 ff d7  04 02  08 0a 8a 3b 1c 2d 00 00 00 00  01  03 03 0a');

  it('the Linux SYN block "mss, sackOK, TS, nop, wscale" encodes to the 20 bytes seen on the wire', () => {
    expect(bytesOf(linuxSyn)).toEqual(Array.from(linuxSynBytes));
  });

  it('and decodes back', () => {
    expect(decodeOptions(linuxSynBytes)).toEqual(linuxSyn);
  });

  it('the Linux SYN block without timestamps: mss, nop, nop, sackOK, nop, wscale', () => {
    const opts: TcpOption[] = [
      { kind: 'mss', mss: 1460 },
      { kind: 'nop' },
      { kind: 'nop' },
      { kind: 'sackPermitted' },
      { kind: 'nop' },
      { kind: 'windowScale', shift: 7 },
    ];
    const wire = hex('02 04 05 b4 01 01 04 02 01 03 03 07');
    expect(bytesOf(opts)).toEqual(Array.from(wire));
    expect(decodeOptions(wire)).toEqual(opts);
  });

  it('timestamps on an established connection: nop, nop, TS (RFC 7323 appendix A layout)', () => {
    const wire = hex('01 01 08 0a 00 00 00 01 ff ff ff ff');
    const opts: TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsVal: 1, tsEcr: 0xffffffff }];
    expect(decodeOptions(wire)).toEqual(opts);
    expect(bytesOf(opts)).toEqual(Array.from(wire));
  });

  it('SACK with two blocks: kind 5, length 2 + 8*2 = 18 (RFC 2018 3)', () => {
    const wire = hex('01 01 05 12  00 00 03 e8 00 00 07 d0  ff ff ff f0 00 00 00 10');
    const opts: TcpOption[] = [
      { kind: 'nop' },
      { kind: 'nop' },
      {
        kind: 'sack',
        blocks: [
          [1000, 2000],
          [0xfffffff0, 0x10],
        ],
      },
    ];
    expect(decodeOptions(wire)).toEqual(opts);
    expect(bytesOf(opts)).toEqual(Array.from(wire));
  });

  it('pads with zeros to a multiple of 4', () => {
    expect(bytesOf([{ kind: 'windowScale', shift: 7 }])).toEqual([0x03, 0x03, 0x07, 0x00]);
    expect(bytesOf([{ kind: 'mss', mss: 536 }, { kind: 'nop' }])).toEqual([0x02, 0x04, 0x02, 0x18, 0x01, 0, 0, 0]);
    expect(bytesOf([])).toEqual([]);
  });

  it('an explicit trailing EOL is a zero byte (then padding)', () => {
    expect(bytesOf([{ kind: 'mss', mss: 1460 }, { kind: 'eol' }])).toEqual([2, 4, 5, 0xb4, 0, 0, 0, 0]);
  });

  it('keeps unknown kinds byte for byte (e.g. kind 34, TCP Fast Open cookie, RFC 7413)', () => {
    const wire = hex('22 0a 01 02 03 04 05 06 07 08  1e 02');
    const opts: TcpOption[] = [
      { kind: 'unknown', code: 34, data: hex('01 02 03 04 05 06 07 08') },
      { kind: 'unknown', code: 30, data: new Uint8Array(0) },
    ];
    expect(decodeOptions(wire)).toEqual(opts);
    expect(bytesOf(opts)).toEqual(Array.from(wire));
  });

  it('stops at EOL: the zero padding and anything after it are not returned', () => {
    expect(decodeOptions(hex('02 04 05 b4 00 00 00 00'))).toEqual([{ kind: 'mss', mss: 1460 }]);
    expect(decodeOptions(hex('01 00 02 04'))).toEqual([{ kind: 'nop' }]);
    expect(decodeOptions(hex('00 ff ff ff'))).toEqual([]);
    expect(decodeOptions(new Uint8Array(0))).toEqual([]);
  });

  it('decodes a window scale above 14 as sent (RFC 7323 2.3 clamping is the receiver’s job)', () => {
    expect(decodeOptions(hex('03 03 0f 00'))).toEqual([{ kind: 'windowScale', shift: 15 }]);
  });
});

describe('malformed option bytes throw TcpOptionError', () => {
  it.each([
    ['length 0', '02 00 05 b4', /length 0; the minimum is 2/],
    ['length 1', '08 01 00 00', /length 1; the minimum is 2/],
    ['unknown kind with length 1', '1e 01', /option kind 30 at offset 0 has length 1/],
    ['an option running past the end', '08 0a 00 00 00 01', /length 10, running past the 6 option bytes/],
    ['a kind byte without its length byte', '01 01 01 02', /cut off before its length byte/],
    ['MSS of length 3', '02 03 05 00', /MSS option at offset 0 has length 3, expected 4/],
    ['window scale of length 4', '03 04 07 00', /window scale option at offset 0 has length 4, expected 3/],
    ['SACK-permitted of length 3', '04 03 00 00', /SACK-permitted option at offset 0 has length 3, expected 2/],
    ['timestamps of length 8', '08 08 00 00 00 00 00 00', /timestamps option at offset 0 has length 8, expected 10/],
    ['SACK with no blocks', '05 02 00 00', /SACK option at offset 0 has length 2, expected 2 \+ 8n/],
    ['SACK with a partial block', '05 0b 00 00 00 00 00 00 00 00 00', /SACK option at offset 0 has length 11/],
    ['a bad option after good ones', '01 01 02 04 05 b4 08 00', /option kind 8 \(timestamps\) at offset 6 has length 0/],
  ])('%s', (_name, bytes, message) => {
    expect(() => decodeOptions(hex(bytes))).toThrow(TcpOptionError);
    expect(() => decodeOptions(hex(bytes))).toThrow(message);
  });
});

describe('encodeOptions rejects what it cannot encode, with TcpOptionError', () => {
  it.each<[string, TcpOption[], RegExp]>([
    ['more than 40 bytes', new Array<TcpOption>(5).fill({ kind: 'timestamps', tsVal: 0, tsEcr: 0 }), /50 bytes, more than the 40/],
    ['41 NOPs', new Array<TcpOption>(41).fill({ kind: 'nop' }), /41 bytes/],
    ['an option after EOL', [{ kind: 'eol' }, { kind: 'nop' }], /nop follows EOL/],
    ['MSS 65536', [{ kind: 'mss', mss: 65536 }], /MSS option mss must be an integer in 0\.\.65535, got 65536/],
    ['MSS 1.5', [{ kind: 'mss', mss: 1.5 }], /got 1.5/],
    ['window scale 256', [{ kind: 'windowScale', shift: 256 }], /shift/],
    ['a negative tsVal', [{ kind: 'timestamps', tsVal: -1, tsEcr: 0 }], /tsVal/],
    ['a SACK edge of 2^32', [{ kind: 'sack', blocks: [[0, 2 ** 32]] }], /right edge/],
    ['SACK with no blocks', [{ kind: 'sack', blocks: [] }], /at least one block/],
    ['unknown code 1', [{ kind: 'unknown', code: 1, data: new Uint8Array(0) }], /2\.\.255, got 1/],
    ['unknown code 256', [{ kind: 'unknown', code: 256, data: new Uint8Array(0) }], /2\.\.255, got 256/],
  ])('%s', (_name, opts, message) => {
    expect(() => encodeOptions(opts)).toThrow(TcpOptionError);
    expect(() => encodeOptions(opts)).toThrow(message);
  });

  it('exactly 40 bytes is fine', () => {
    const opts = new Array<TcpOption>(4).fill({ kind: 'timestamps', tsVal: 1, tsEcr: 2 });
    expect(encodeOptions(opts)).toHaveLength(40);
  });
});

describe('properties', () => {
  it('decodeOptions(encodeOptions(opts)) returns opts for any valid list within 40 bytes', () => {
    fc.assert(
      fc.property(arbOptionList, (opts) => {
        expect(decodeOptions(encodeOptions(opts))).toEqual(opts);
      }),
    );
  });

  it('the encoding is the options’ own length rounded up to a multiple of 4', () => {
    fc.assert(
      fc.property(arbOptionList, (opts) => {
        const raw = opts.reduce((n, o) => n + refOptionLength(o), 0);
        expect(encodeOptions(opts).length).toBe(Math.ceil(raw / 4) * 4);
      }),
    );
  });

  /** Random bytes, bytes biased to small kinds and lengths, and valid option blocks with a few bytes changed. */
  const optionishBytes = fc.oneof(
    fc.uint8Array({ maxLength: 60 }),
    fc
      .array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 255 })), { maxLength: 60 })
      .map((xs) => Uint8Array.from(xs)),
    arbOptionList.filter((o) => o.length > 0).chain((opts) => arbMutation(encodeOptions(opts))),
  );

  it('fuzz: decodeOptions on arbitrary bytes returns a list or throws TcpOptionError, nothing else', () => {
    fc.assert(
      fc.property(optionishBytes, (bytes) => {
        try {
          decodeOptions(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(TcpOptionError);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('fuzz: whatever decodes from at most 40 bytes re-encodes to bytes that decode the same', () => {
    fc.assert(
      fc.property(optionishBytes, (bytes) => {
        let opts: TcpOption[];
        try {
          opts = decodeOptions(bytes.subarray(0, 40));
        } catch {
          return;
        }
        expect(decodeOptions(encodeOptions(opts))).toEqual(opts);
      }),
      { numRuns: 2000 },
    );
  });
});
