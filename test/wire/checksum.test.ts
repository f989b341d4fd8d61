import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/wire/address.js';
import {
  checksumOf,
  foldSum,
  internetChecksum,
  onesSum,
  pseudoHeader,
  pseudoHeaderSum,
  transportChecksum,
} from '../../src/wire/checksum.js';
import { WireError } from '../../src/wire/errors.js';
import { flipBit, hex, refChecksum } from './helpers.js';

describe('Internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0; end-around carry: ddf0 + 2 = ddf2; complement 220d.
    const data = hex('00 01 f2 03 f4 f5 f6 f7');
    expect(onesSum(data)).toBe(0xddf2);
    expect(internetChecksum(data)).toBe(0x220d);
  });

  it('pads an odd last byte with zero', () => {
    expect(onesSum(hex('01'))).toBe(0x0100);
    expect(onesSum(hex('00 01 02'))).toBe(0x0201);
  });

  it('is 0xffff over nothing or all zeros, and 0 over 0xffff words (the two zeros of ones complement)', () => {
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
    expect(internetChecksum(new Uint8Array(6))).toBe(0xffff);
    expect(internetChecksum(hex('ff ff ff ff'))).toBe(0);
  });

  it('folds carries: foldSum(0x2ddf0) = 0xddf2, foldSum(0x1fffe) = 0xffff', () => {
    expect(foldSum(0x2ddf0)).toBe(0xddf2);
    expect(foldSum(0x1fffe)).toBe(0xffff);
    expect(checksumOf(0xddf2)).toBe(0x220d);
  });

  it('agrees with an independent reference on arbitrary data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(internetChecksum(data)).toBe(refChecksum(data));
      }),
    );
  });

  it('handles long all-0xff buffers without losing carries', () => {
    const data = new Uint8Array(70000).fill(0xff);
    expect(internetChecksum(data)).toBe(refChecksum(data));
    expect(internetChecksum(data)).toBe(0);
  });

  it('is incremental: onesSum(b, onesSum(a)) is the sum of a then b for even-length a', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a0, b) => {
        const a = a0.length % 2 === 0 ? a0 : a0.subarray(1);
        const joined = Uint8Array.from([...a, ...b]);
        expect(onesSum(b, onesSum(a))).toBe(onesSum(joined));
      }),
    );
  });

  it('internetChecksum(...parts) equals the checksum of their concatenation, odd-length parts included', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 6 }), (parts) => {
        expect(internetChecksum(...parts)).toBe(refChecksum(...parts));
      }),
    );
  });

  it('verifies to 0 once the checksum is stored at an even offset, and detects any single flipped bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 100 }), fc.nat(), fc.nat(), (data0, where, bit) => {
        const data = data0.slice();
        const at = (where % Math.floor(data.length / 2)) * 2;
        data[at] = 0;
        data[at + 1] = 0;
        const c = internetChecksum(data);
        data[at] = c >>> 8;
        data[at + 1] = c & 0xff;
        expect(internetChecksum(data)).toBe(0);
        expect(internetChecksum(flipBit(data, bit % (data.length * 8)))).not.toBe(0);
      }),
    );
  });
});

describe('pseudo-headers', () => {
  it('IPv4 (RFC 9293 3.1): src, dst, zero, protocol, 16-bit TCP length', () => {
    const ph = pseudoHeader(parseAddress('10.0.0.1'), parseAddress('10.0.0.2'), 6, 40);
    expect(Array.from(ph)).toEqual(Array.from(hex('0a000001 0a000002 00 06 0028')));
  });

  it('IPv6 (RFC 8200 8.1): src, dst, 32-bit length, three zero bytes, next header', () => {
    const ph = pseudoHeader(parseAddress('2001:db8::1'), parseAddress('::2'), 17, 0x12345);
    expect(Array.from(ph)).toEqual(
      Array.from(
        hex(`20010db8 00000000 00000000 00000001
             00000000 00000000 00000000 00000002
             00012345 000000 11`),
      ),
    );
  });

  it('pseudoHeaderSum is the ones-complement sum of those bytes', () => {
    // 0a00 + 0001 + 0a00 + 0002 + 0006 + 0028 = 0x1431
    expect(pseudoHeaderSum(parseAddress('10.0.0.1'), parseAddress('10.0.0.2'), 6, 40)).toBe(0x1431);
  });

  it('transportChecksum covers pseudo-header and segment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 100 }), (s, d, seg) => {
        const lengthBytes = Uint8Array.of(0, 17, seg.length >>> 8, seg.length & 0xff);
        expect(transportChecksum(s, d, 17, seg)).toBe(refChecksum(s, d, lengthBytes, seg));
      }),
    );
  });

  it('rejects mixed families, odd address sizes and out-of-range fields with a WireError', () => {
    const v4 = parseAddress('10.0.0.1');
    const v6 = parseAddress('::1');
    expect(() => pseudoHeader(v4, v6, 6, 20)).toThrow(WireError);
    expect(() => pseudoHeader(v4, v6, 6, 20)).toThrow(/4 and 16 bytes/);
    expect(() => pseudoHeader(new Uint8Array(5), new Uint8Array(5), 6, 20)).toThrow(WireError);
    expect(() => pseudoHeader(v4, v4, 256, 20)).toThrow(/protocol/);
    expect(() => pseudoHeader(v4, v4, 6, 0x10000)).toThrow(/IPv4 pseudo-header length/);
    expect(() => pseudoHeader(v6, v6, 6, 2 ** 32)).toThrow(/IPv6 pseudo-header length/);
  });
});
