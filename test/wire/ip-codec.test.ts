import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/wire/address.js';
import { AddressError, ChecksumError, TcpOptionError, WireError } from '../../src/wire/errors.js';
import { decodeIPv4, decodeIPv6, decodePacket, encodeIPv4, encodeIPv6, encodePacket } from '../../src/wire/ip-codec.js';
import { ACK, SYN, makeSegment } from '../../src/wire/segment.js';
import type { Packet } from '../../src/wire/segment.js';
import { arbMutation, arbPacket, flipBit, hex, refChecksum, u16 } from './helpers.js';

const synPacket: Packet = {
  proto: 'tcp',
  src: '10.0.0.1',
  dst: '10.0.0.2',
  ttl: 64,
  segment: makeSegment({
    srcPort: 40000,
    dstPort: 80,
    seq: 1000,
    flags: SYN,
    window: 64240,
    options: [
      { kind: 'mss', mss: 1460 },
      { kind: 'sackPermitted' },
      { kind: 'timestamps', tsVal: 1, tsEcr: 0 },
      { kind: 'nop' },
      { kind: 'windowScale', shift: 7 },
    ],
  }),
};

/** Sets a 16-bit field and refreshes the IPv4 header checksum with the test's own reference checksum. */
function patchIPv4(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  out[at] = value >>> 8;
  out[at + 1] = value & 0xff;
  const ihl = ((out[0] as number) & 0x0f) * 4;
  out[10] = 0;
  out[11] = 0;
  const c = refChecksum(out.subarray(0, ihl));
  out[10] = c >>> 8;
  out[11] = c & 0xff;
  return out;
}

describe('a hand-built IPv4 SYN packet, byte by byte', () => {
  // IP header words 4500 003c 1234 4000 4006 0000 0a00 0001 0a00 0002 sum to 0xeb79 (no carry): checksum 0x1486.
  // The TCP part is the SYN of tcp-codec.test.ts, checksum 0x9893.
  const expected = hex(
    [
      '45 00 00 3c', // version 4, IHL 5, TOS 0, total length 60
      '12 34 40 00', // identification 0x1234, flags DF, fragment offset 0
      '40 06 14 86', // TTL 64, protocol 6 (TCP), header checksum
      '0a 00 00 01 0a 00 00 02', // 10.0.0.1 -> 10.0.0.2
      '9c 40 00 50 00 00 03 e8 00 00 00 00 a0 02 fa f0 98 93 00 00',
      '02 04 05 b4 04 02 08 0a 00 00 00 01 00 00 00 00 01 03 03 07',
    ].join(''),
  );

  it('the hand sum is what the comment says', () => {
    const sum = [0x4500, 0x003c, 0x1234, 0x4000, 0x4006, 0x0000, 0x0a00, 0x0001, 0x0a00, 0x0002].reduce((a, b) => a + b);
    expect(sum).toBe(0xeb79);
    expect(~sum & 0xffff).toBe(0x1486);
  });

  it('encodePacket builds exactly these 60 bytes', () => {
    expect(Array.from(encodePacket(synPacket, 0x1234))).toEqual(Array.from(expected));
  });

  it('decodePacket reads them back', () => {
    expect(decodePacket(expected)).toEqual(synPacket);
  });

  it('decodeIPv4 reports the header fields', () => {
    const ip = decodeIPv4(expected);
    expect({ ...ip, payload: ip.payload.length }).toEqual({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 6,
      ttl: 64,
      id: 0x1234,
      payload: 40,
    });
  });
});

describe('IPv4', () => {
  it('encodeIPv4 sets version/IHL, total length, DF, TTL, protocol and a verifying header checksum', () => {
    const bytes = encodeIPv4({ src: '192.0.2.1', dst: '198.51.100.2', proto: 17, ttl: 1, id: 0xbeef, payload: hex('aa bb cc') });
    expect(Array.from(bytes.subarray(0, 10))).toEqual(Array.from(hex('45 00 00 17 be ef 40 00 01 11')));
    expect(refChecksum(bytes.subarray(0, 20))).toBe(0);
    expect(Array.from(bytes.subarray(12))).toEqual(Array.from(hex('c0 00 02 01 c6 33 64 02 aa bb cc')));
  });

  it('round-trips any header fields', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.ipV4(),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        u16,
        fc.uint8Array({ maxLength: 100 }),
        (src, dst, proto, ttl, id, payload) => {
          const packet = { src, dst, proto, ttl, id, payload };
          expect(decodeIPv4(encodeIPv4(packet))).toEqual({ ...packet, src: normalizeAddress(src), dst: normalizeAddress(dst) });
        },
      ),
    );
  });

  const good = encodeIPv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 17, ttl: 64, id: 1, payload: hex('01 02 03 04') });

  it('skips IP options and ignores link padding after the total length', () => {
    // IHL 6: one word of options (four NOPs), total length 28, then 4 bytes of padding.
    const withOptions = patchIPv4(hex('46 00 00 1c 00 01 40 00 40 11 00 00 0a 00 00 01 0a 00 00 02 01 01 01 01 de ad be ef 00 00 00 00'), 2, 28);
    expect(Array.from(decodeIPv4(withOptions).payload)).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });

  it.each<[string, () => Uint8Array, RegExp, typeof WireError]>([
    ['fewer than 20 bytes', () => good.subarray(0, 19), /truncated IPv4 header: 19 bytes, need at least 20/, WireError],
    ['version 6', () => Uint8Array.from([0x65, ...good.subarray(1)]), /IP version 6 where 4 was expected/, WireError],
    ['IHL 4', () => Uint8Array.from([0x44, ...good.subarray(1)]), /IPv4 header length 16 is below 20/, WireError],
    ['IHL past the end', () => Uint8Array.from([0x4f, ...good.subarray(1)]), /truncated IPv4 header with options: 24 bytes, need at least 60/, WireError],
    ['total length past the end', () => patchIPv4(good, 2, 25), /IPv4 total length 25 runs past the 24 bytes received/, WireError],
    ['total length below the header', () => patchIPv4(good, 2, 19), /IPv4 total length 19 is shorter than its 20-byte header/, WireError],
    ['a wrong header checksum', () => flipBit(good, 8 * 8), /IPv4 header checksum 0x[0-9a-f]+ is wrong/, ChecksumError],
    ['more fragments', () => patchIPv4(good, 6, 0x2000), /IPv4 fragments are not supported \(flags\/offset 0x2000\)/, WireError],
    ['a fragment offset', () => patchIPv4(good, 6, 0x4001), /fragments are not supported/, WireError],
  ])('decodeIPv4 rejects %s', (_name, make, message, type) => {
    expect(() => decodeIPv4(make())).toThrow(type);
    expect(() => decodeIPv4(make())).toThrow(message);
  });

  it('encodeIPv4 rejects bad fields and IPv6 addresses', () => {
    const p = { src: '10.0.0.1', dst: '10.0.0.2', proto: 6, ttl: 64, id: 0, payload: new Uint8Array(0) };
    expect(() => encodeIPv4({ ...p, ttl: 256 })).toThrow(/IPv4 TTL must be an integer in 0\.\.255, got 256/);
    expect(() => encodeIPv4({ ...p, id: 65536 })).toThrow(/IPv4 identification/);
    expect(() => encodeIPv4({ ...p, proto: -1 })).toThrow(/IPv4 protocol/);
    expect(() => encodeIPv4({ ...p, payload: new Uint8Array(65516) })).toThrow(/65536 bytes is longer than 65535/);
    expect(() => encodeIPv4({ ...p, src: '::1', dst: '::2' })).toThrow(AddressError);
    expect(() => encodeIPv4({ ...p, src: '::1', dst: '::2' })).toThrow(/IPv4 needs IPv4 addresses/);
  });
});

describe('IPv6', () => {
  it('encodeIPv6 writes the fixed 40-byte header', () => {
    const bytes = encodeIPv6({ src: '2001:db8::1', dst: '::2', nextHeader: 6, hopLimit: 64, payload: hex('aa bb') });
    expect(Array.from(bytes)).toEqual(
      Array.from(
        hex(
          [
            '60 00 00 00', // version 6, traffic class 0, flow label 0
            '00 02 06 40', // payload length 2, next header 6, hop limit 64
            '20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01',
            '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02',
            'aa bb',
          ].join(''),
        ),
      ),
    );
  });

  it('round-trips any header fields', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 100 }), (src, dst, nextHeader, hopLimit, payload) => {
        const packet = { src, dst, nextHeader, hopLimit, payload };
        expect(decodeIPv6(encodeIPv6(packet))).toEqual({ ...packet, src: normalizeAddress(src), dst: normalizeAddress(dst) });
      }),
    );
  });

  const good = encodeIPv6({ src: '::1', dst: '::2', nextHeader: 17, hopLimit: 64, payload: hex('01 02 03 04') });

  it('ignores bytes past the payload length', () => {
    expect(Array.from(decodeIPv6(Uint8Array.from([...good, 9, 9])).payload)).toEqual([1, 2, 3, 4]);
  });

  it('decodeIPv6 rejects a short header, another version, or a payload length past the end', () => {
    expect(() => decodeIPv6(good.subarray(0, 39))).toThrow(/truncated IPv6 header: 39 bytes, need at least 40/);
    expect(() => decodeIPv6(Uint8Array.from([0x40, ...good.subarray(1)]))).toThrow(/IP version 4 where 6 was expected/);
    expect(() => decodeIPv6(good.subarray(0, 43))).toThrow(/IPv6 payload length 4 runs past the 3 bytes after the header/);
  });

  it('encodeIPv6 rejects bad fields and IPv4 addresses', () => {
    const p = { src: '::1', dst: '::2', nextHeader: 6, hopLimit: 64, payload: new Uint8Array(0) };
    expect(() => encodeIPv6({ ...p, hopLimit: 256 })).toThrow(/IPv6 hop limit/);
    expect(() => encodeIPv6({ ...p, nextHeader: 256 })).toThrow(/IPv6 next header/);
    expect(() => encodeIPv6({ ...p, payload: new Uint8Array(65536) })).toThrow(/jumbograms are not supported/);
    expect(() => encodeIPv6({ ...p, src: '10.0.0.1', dst: '10.0.0.2' })).toThrow(/IPv6 needs IPv6 addresses/);
  });
});

describe('encodePacket and decodePacket', () => {
  it('decodePacket(encodePacket(p)) is p with canonical addresses and the TTL filled in (default 64)', () => {
    fc.assert(
      fc.property(arbPacket, u16, (p, ipId) => {
        const expected = { ...p, src: normalizeAddress(p.src), dst: normalizeAddress(p.dst), ttl: p.ttl ?? 64 };
        expect(decodePacket(encodePacket(p, ipId))).toEqual(expected);
      }),
    );
  });

  it('picks IPv4 or IPv6 by the addresses, and carries the IPv4 identification', () => {
    const v4 = encodePacket(synPacket, 7);
    expect(v4[0]).toBe(0x45);
    expect(decodeIPv4(v4).id).toBe(7);
    const v6 = encodePacket({ ...synPacket, src: '::1', dst: '::2', ttl: 3 }, 7);
    expect(Array.from(v6.subarray(0, 8))).toEqual([0x60, 0, 0, 0, 0, 40, 6, 3]);
    const udp = encodePacket({ proto: 'udp', src: '::1', dst: '::2', datagram: { srcPort: 1, dstPort: 2, payload: new Uint8Array(0) } }, 0);
    expect(udp[6]).toBe(17);
    expect(udp[7]).toBe(64);
  });

  it('any single flipped bit in an IPv4 packet is caught', () => {
    fc.assert(
      fc.property(arbPacket, fc.nat(), (p, bit) => {
        fc.pre(!p.src.includes(':'));
        const bytes = encodePacket(p, 1);
        expect(() => decodePacket(flipBit(bytes, bit % (bytes.length * 8)))).toThrow(WireError);
      }),
    );
  });

  it('in IPv6, flips are caught except in traffic class, flow label and hop limit, which nothing protects', () => {
    fc.assert(
      fc.property(arbPacket, fc.nat(), (p, bit0) => {
        fc.pre(p.src.includes(':'));
        const bytes = encodePacket(p, 1);
        const bit = bit0 % (bytes.length * 8);
        const flipped = flipBit(bytes, bit);
        const unprotected = (bit >= 4 && bit < 32) || (bit >= 56 && bit < 64);
        if (unprotected) {
          expect({ ...decodePacket(flipped), ttl: 0 }).toEqual({ ...decodePacket(bytes), ttl: 0 });
        } else {
          expect(() => decodePacket(flipped)).toThrow(WireError);
        }
      }),
    );
  });

  it('a wrong TCP checksum throws ChecksumError, unless verification is turned off', () => {
    const bytes = encodePacket(synPacket, 1);
    const bad = bytes.slice();
    bad[20 + 16] = (bad[20 + 16] as number) ^ 0xff; // TCP checksum field
    expect(() => decodePacket(bad)).toThrow(ChecksumError);
    expect(() => decodePacket(bad)).toThrow('TCP checksum is wrong (10.0.0.1 -> 10.0.0.2)');
    expect(decodePacket(bad, { verifyChecksum: false })).toEqual(synPacket);
  });

  it('a wrong UDP checksum throws ChecksumError', () => {
    const p: Packet = { proto: 'udp', src: '::1', dst: '::2', ttl: 64, datagram: { srcPort: 1, dstPort: 2, payload: hex('00') } };
    const bad = encodePacket(p, 0);
    bad[40 + 7] = (bad[40 + 7] as number) ^ 1;
    expect(() => decodePacket(bad)).toThrow('UDP checksum is wrong (::1 -> ::2)');
    expect(decodePacket(bad, { verifyChecksum: false })).toEqual(p);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['nothing', new Uint8Array(0), /truncated IP packet: 0 bytes, need at least 1/],
    ['IP version 5', hex('50 00 00 00'), /IP version 5 is neither 4 nor 6/],
    ['ICMP', encodeIPv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 1, ttl: 64, id: 0, payload: hex('08 00 f7 ff') }), /IP protocol 1 is neither TCP \(6\) nor UDP \(17\)/],
    ['an IPv6 extension header', encodeIPv6({ src: '::1', dst: '::2', nextHeader: 0, hopLimit: 1, payload: new Uint8Array(8) }), /IP protocol 0 is neither/],
    ['a truncated TCP header', encodeIPv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 6, ttl: 64, id: 0, payload: new Uint8Array(12) }), /truncated TCP header: 12 bytes/],
  ])('decodePacket rejects %s with a WireError', (_name, bytes, message) => {
    expect(() => decodePacket(bytes)).toThrow(WireError);
    expect(() => decodePacket(bytes)).toThrow(message);
  });

  it('decodePacket passes TcpOptionError through for bad options', () => {
    const p: Packet = { ...synPacket, segment: { ...synPacket.segment, options: [{ kind: 'unknown', code: 2, data: hex('05') }] } };
    expect(() => decodePacket(encodePacket(p, 0))).toThrow(TcpOptionError);
  });

  it('encodePacket rejects mixed families and a bad identification', () => {
    expect(() => encodePacket({ ...synPacket, dst: '::2' }, 0)).toThrow(AddressError);
    expect(() => encodePacket(synPacket, 65536)).toThrow(/IPv4 identification/);
  });

  it('fuzz: truncated or mutated packets decode or throw a WireError, nothing else', () => {
    const mutated = arbPacket.chain((p) => arbMutation(encodePacket(p, 1)));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), fc.boolean(), (bytes, verifyChecksum) => {
        try {
          decodePacket(bytes, { verifyChecksum });
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a plain ACK round-trips with an empty payload and no options', () => {
    const ack: Packet = { proto: 'tcp', src: '10.0.0.2', dst: '10.0.0.1', ttl: 64, segment: makeSegment({ srcPort: 80, dstPort: 40000, seq: 5000, ack: 1001, flags: ACK, window: 502 }) };
    const bytes = encodePacket(ack, 0);
    expect(bytes).toHaveLength(40);
    expect(decodePacket(bytes)).toEqual(ack);
  });
});
