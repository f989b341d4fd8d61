import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressError, WireError } from '../../src/wire/errors.js';
import type { Datagram } from '../../src/wire/segment.js';
import { decodeUdp, encodeUdp, verifyUdpChecksum } from '../../src/wire/udp-codec.js';
import { arbAddressPair, arbDatagram, arbMutation, flipBit, hex, refChecksum } from './helpers.js';

const dns: Datagram = { srcPort: 5353, dstPort: 53, payload: hex('68 69') };

describe('hand-built datagrams, byte by byte', () => {
  it('IPv4: 10.0.0.1:5353 -> 10.0.0.2:53 "hi"', () => {
    // pseudo-header 0a00 0001 0a00 0002 0011 000a; header 14e9 0035 000a 0000; data 6869
    // sum 0x91af (no carry), checksum ~0x91af = 0x6e50
    const sum = [0x0a00, 0x0001, 0x0a00, 0x0002, 0x0011, 0x000a, 0x14e9, 0x0035, 0x000a, 0x0000, 0x6869].reduce((a, b) => a + b);
    expect(sum).toBe(0x91af);
    const wire = hex('14 e9 00 35 00 0a 6e 50 68 69');
    expect(Array.from(encodeUdp(dns, '10.0.0.1', '10.0.0.2'))).toEqual(Array.from(wire));
    expect(decodeUdp(wire)).toEqual(dns);
    expect(verifyUdpChecksum(wire, '10.0.0.1', '10.0.0.2')).toBe(true);
  });

  it('IPv6 with an odd-length payload: [2001:db8::1]:1234 -> [2001:db8::2]:5678, 01 02 03', () => {
    // pseudo-header: 2001 0db8 0 0 0 0 0 0001, 2001 0db8 0 0 0 0 0 0002, 0000 000b (length 11), 0000 0011
    // header 04d2 162e 000b 0000; data 0102 03(00): sum 0x7a9e, checksum 0x8561
    const sum = [
      0x2001, 0x0db8, 0x0001, 0x2001, 0x0db8, 0x0002, 0x000b, 0x0011, 0x04d2, 0x162e, 0x000b, 0x0102, 0x0300,
    ].reduce((a, b) => a + b);
    expect(sum).toBe(0x7a9e);
    const d: Datagram = { srcPort: 1234, dstPort: 5678, payload: hex('01 02 03') };
    const wire = hex('04 d2 16 2e 00 0b 85 61 01 02 03');
    expect(Array.from(encodeUdp(d, '2001:db8::1', '2001:db8::2'))).toEqual(Array.from(wire));
    expect(verifyUdpChecksum(wire, '2001:db8::1', '2001:db8::2')).toBe(true);
  });

  it('a computed checksum of 0 is sent as 0xffff (RFC 768) and still verifies', () => {
    // Without payload the words sum to 0x91af - 0x6869 = 0x2946; a payload word of 0xffff - 0x2946 = 0xd6b9
    // brings the sum to 0xffff, whose complement is 0.
    const d: Datagram = { srcPort: 5353, dstPort: 53, payload: hex('d6 b9') };
    const wire = encodeUdp(d, '10.0.0.1', '10.0.0.2');
    expect(Array.from(wire.subarray(6, 8))).toEqual([0xff, 0xff]);
    expect(verifyUdpChecksum(wire, '10.0.0.1', '10.0.0.2')).toBe(true);
    expect(verifyUdpChecksum(encodeUdp(d, '::1', '::2'), '::1', '::2')).toBe(true);
  });

  it('a zero checksum field means "none" over IPv4 but is invalid over IPv6 (RFC 8200 8.1)', () => {
    const wire = hex('14 e9 00 35 00 0a 00 00 68 69');
    expect(verifyUdpChecksum(wire, '10.0.0.1', '10.0.0.2')).toBe(true);
    expect(verifyUdpChecksum(wire, '::1', '::2')).toBe(false);
  });
});

describe('properties', () => {
  it('decodeUdp(encodeUdp(d)) === d and the checksum verifies, over IPv4 and IPv6', () => {
    fc.assert(
      fc.property(arbDatagram, arbAddressPair, (d, { src, dst }) => {
        const bytes = encodeUdp(d, src, dst);
        expect(decodeUdp(bytes)).toEqual(d);
        expect(verifyUdpChecksum(bytes, src, dst)).toBe(true);
        expect(((bytes[4] as number) << 8) | (bytes[5] as number)).toBe(8 + d.payload.length);
      }),
    );
  });

  it('the checksum agrees with an independent computation (0 sent as 0xffff)', () => {
    fc.assert(
      fc.property(arbDatagram, (d) => {
        const bytes = encodeUdp(d, '192.0.2.1', '198.51.100.7');
        const zeroed = bytes.slice();
        zeroed[6] = 0;
        zeroed[7] = 0;
        const ph = Uint8Array.of(192, 0, 2, 1, 198, 51, 100, 7, 0, 17, bytes.length >>> 8, bytes.length & 0xff);
        expect(((bytes[6] as number) << 8) | (bytes[7] as number)).toBe(refChecksum(ph, zeroed) || 0xffff);
      }),
    );
  });

  it('a single flipped bit anywhere fails verification', () => {
    fc.assert(
      fc.property(arbDatagram, arbAddressPair, fc.nat(), (d, { src, dst }, bit) => {
        const bytes = encodeUdp(d, src, dst);
        const flipped = flipBit(bytes, bit % (bytes.length * 8));
        // Over IPv4 a checksum with one bit set, flipped to 0, reads as "no checksum", which RFC 768 accepts.
        fc.pre(src.includes(':') || flipped[6] !== 0 || flipped[7] !== 0);
        expect(verifyUdpChecksum(flipped, src, dst)).toBe(false);
      }),
    );
  });

  it('fuzz: truncated or mutated datagrams decode or throw a WireError, nothing else', () => {
    const mutated = arbDatagram.chain((d) => arbMutation(encodeUdp(d, '10.0.0.1', '10.0.0.2')));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 40 })), (bytes) => {
        try {
          decodeUdp(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
        try {
          verifyUdpChecksum(bytes, '10.0.0.1', '10.0.0.2');
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('bad input', () => {
  const good = encodeUdp(dns, '10.0.0.1', '10.0.0.2');

  it('ignores bytes past the length field (link padding)', () => {
    const padded = Uint8Array.from([...good, 0, 0, 0, 0]);
    expect(decodeUdp(padded)).toEqual(dns);
    expect(verifyUdpChecksum(padded, '10.0.0.1', '10.0.0.2')).toBe(true);
  });

  it('a header shorter than 8 bytes', () => {
    expect(() => decodeUdp(good.subarray(0, 7))).toThrow('truncated UDP header: 7 bytes, need at least 8');
    expect(() => verifyUdpChecksum(good.subarray(0, 7), '10.0.0.1', '10.0.0.2')).toThrow(WireError);
  });

  it('a length field below 8 or past the end', () => {
    const short = good.slice();
    short[5] = 7;
    expect(() => decodeUdp(short)).toThrow('UDP length 7 is below the 8-byte header');
    expect(verifyUdpChecksum(short, '10.0.0.1', '10.0.0.2')).toBe(false);
    const long = good.slice();
    long[5] = 11;
    expect(() => decodeUdp(long)).toThrow('UDP length 11 runs past the 10 bytes received');
    expect(verifyUdpChecksum(long, '10.0.0.1', '10.0.0.2')).toBe(false);
  });

  it('encodeUdp rejects bad ports, oversize payloads and mixed families', () => {
    expect(() => encodeUdp({ ...dns, srcPort: 65536 }, '10.0.0.1', '10.0.0.2')).toThrow(/UDP source port .* got 65536/);
    expect(() => encodeUdp({ ...dns, dstPort: -1 }, '10.0.0.1', '10.0.0.2')).toThrow(/UDP destination port/);
    expect(() => encodeUdp({ ...dns, payload: new Uint8Array(65528) }, '10.0.0.1', '10.0.0.2')).toThrow(
      /65536 bytes is longer than 65535/,
    );
    expect(() => encodeUdp(dns, '10.0.0.1', '::2')).toThrow(AddressError);
  });
});
