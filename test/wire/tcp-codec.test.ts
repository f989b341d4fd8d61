import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/wire/address.js';
import { AddressError, TcpOptionError, WireError } from '../../src/wire/errors.js';
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG, makeSegment } from '../../src/wire/segment.js';
import type { Segment } from '../../src/wire/segment.js';
import { decodeTcp, encodeTcp, verifyTcpChecksum } from '../../src/wire/tcp-codec.js';
import { arbAddressPair, arbMutation, arbSegment, flipBit, hex, refChecksum, refOptionLength } from './helpers.js';

/** A SYN from 10.0.0.1:40000 to 10.0.0.2:80 with Linux's option block (MSS 1460, TS 1/0, wscale 7). */
const syn: Segment = makeSegment({
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
});

describe('a hand-built SYN, byte by byte', () => {
  // Checksum by hand (RFC 9293 3.1): the sum of the 16-bit words of pseudo-header and header,
  //   pseudo-header  0a00 0001 0a00 0002 0006 0028          (TCP length 40)
  //   header         9c40 0050 0000 03e8 0000 0000 a002 faf0 0000(checksum) 0000
  //   options        0204 05b4 0402 080a 0000 0001 0000 0000 0103 0307
  // is 0x2676a; folding gives 0x676a + 0x2 = 0x676c; its complement is 0x9893.
  const words = [
    0x0a00, 0x0001, 0x0a00, 0x0002, 0x0006, 0x0028, 0x9c40, 0x0050, 0x0000, 0x03e8, 0x0000, 0x0000, 0xa002, 0xfaf0,
    0x0000, 0x0000, 0x0204, 0x05b4, 0x0402, 0x080a, 0x0000, 0x0001, 0x0000, 0x0000, 0x0103, 0x0307,
  ];
  const sum = words.reduce((a, b) => a + b, 0);

  it('the hand sum is what the comment says', () => {
    expect(sum).toBe(0x2676a);
    expect(~((sum & 0xffff) + (sum >>> 16)) & 0xffff).toBe(0x9893);
  });

  const expected = hex(
    [
      '9c 40  00 50', // source port 40000, destination port 80
      '00 00 03 e8', // sequence number 1000
      '00 00 00 00', // acknowledgment number 0
      'a0 02', // data offset 10 words (40 bytes), flags SYN
      'fa f0', // window 64240
      '98 93', // checksum
      '00 00', // urgent pointer
      '02 04 05 b4  04 02  08 0a 00 00 00 01 00 00 00 00  01  03 03 07', // mss, sackOK, TS, nop, wscale
    ].join(''),
  );

  it('encodes to exactly these 40 bytes', () => {
    expect(Array.from(encodeTcp(syn, '10.0.0.1', '10.0.0.2'))).toEqual(Array.from(expected));
  });

  it('decodes from them and verifies', () => {
    expect(decodeTcp(expected)).toEqual(syn);
    expect(verifyTcpChecksum(expected, '10.0.0.1', '10.0.0.2')).toBe(true);
  });

  it('does not verify for another destination address', () => {
    expect(verifyTcpChecksum(expected, '10.0.0.1', '10.0.0.3')).toBe(false);
  });
});

describe('header fields', () => {
  it('puts all eight flags in byte 13, ECE and CWR included (RFC 3168 6.1)', () => {
    const flags = [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR];
    expect(flags).toEqual([0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80]);
    for (const flag of flags) {
      const bytes = encodeTcp(makeSegment({ srcPort: 1, dstPort: 2, flags: flag }), '10.0.0.1', '10.0.0.2');
      expect(bytes[13]).toBe(flag);
      expect(bytes[12]).toBe(0x50);
    }
    expect(encodeTcp(makeSegment({ srcPort: 1, dstPort: 2, flags: SYN | ECE | CWR }), '::1', '::2')[13]).toBe(0xc2);
  });

  it('the data offset is 5 plus the padded option words, and the payload follows the options', () => {
    fc.assert(
      fc.property(arbSegment, (seg) => {
        const bytes = encodeTcp(seg, '10.0.0.1', '10.0.0.2');
        const optionBytes = Math.ceil(seg.options.reduce((n, o) => n + refOptionLength(o), 0) / 4) * 4;
        expect((bytes[12] as number) >>> 4).toBe(5 + optionBytes / 4);
        expect((bytes[12] as number) & 0x0f).toBe(0);
        expect(bytes.length).toBe(20 + optionBytes + seg.payload.length);
        expect(bytes.subarray(20 + optionBytes)).toEqual(seg.payload);
      }),
    );
  });

  it('writes window and urgent pointer big-endian', () => {
    const bytes = encodeTcp(
      makeSegment({ srcPort: 0xabcd, dstPort: 0x0102, seq: 0xdeadbeef, ack: 0xffffffff, window: 0x1234, urgentPointer: 0x5678, flags: ACK | URG }),
      '10.0.0.1',
      '10.0.0.2',
    );
    expect(Array.from(bytes.subarray(0, 16))).toEqual(
      Array.from(hex('ab cd 01 02 de ad be ef ff ff ff ff 50 30 12 34')),
    );
    expect(Array.from(bytes.subarray(18, 20))).toEqual([0x56, 0x78]);
  });
});

describe('properties', () => {
  it('decodeTcp(encodeTcp(seg)) === seg and the checksum verifies, over IPv4 and IPv6', () => {
    fc.assert(
      fc.property(arbSegment, arbAddressPair, (seg, { src, dst }) => {
        const bytes = encodeTcp(seg, src, dst);
        expect(decodeTcp(bytes)).toEqual(seg);
        expect(verifyTcpChecksum(bytes, src, dst)).toBe(true);
        expect(verifyTcpChecksum(bytes, normalizeAddress(src), normalizeAddress(dst))).toBe(true);
      }),
    );
  });

  it('the checksum agrees with an independent computation over the pseudo-header', () => {
    fc.assert(
      fc.property(arbSegment, (seg) => {
        const bytes = encodeTcp(seg, '192.0.2.1', '198.51.100.7');
        const zeroed = bytes.slice();
        zeroed[16] = 0;
        zeroed[17] = 0;
        const ph = Uint8Array.of(192, 0, 2, 1, 198, 51, 100, 7, 0, 6, bytes.length >>> 8, bytes.length & 0xff);
        expect(((bytes[16] as number) << 8) | (bytes[17] as number)).toBe(refChecksum(ph, zeroed));
      }),
    );
  });

  it('a single flipped bit anywhere in the segment fails verification', () => {
    fc.assert(
      fc.property(arbSegment, arbAddressPair, fc.nat(), (seg, { src, dst }, bit) => {
        const bytes = encodeTcp(seg, src, dst);
        expect(verifyTcpChecksum(flipBit(bytes, bit % (bytes.length * 8)), src, dst)).toBe(false);
      }),
    );
  });

  it('fuzz: truncated or mutated segments decode or throw a WireError, nothing else', () => {
    const mutated = arbSegment.chain((seg) => arbMutation(encodeTcp(seg, '10.0.0.1', '10.0.0.2')));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), (bytes) => {
        try {
          decodeTcp(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('bad input', () => {
  const good = encodeTcp(syn, '10.0.0.1', '10.0.0.2');
  const withByte12 = (b: number): Uint8Array => {
    const out = good.slice();
    out[12] = b;
    return out;
  };

  it('a header shorter than 20 bytes', () => {
    expect(() => decodeTcp(good.subarray(0, 19))).toThrow(WireError);
    expect(() => decodeTcp(good.subarray(0, 19))).toThrow('truncated TCP header: 19 bytes, need at least 20');
    expect(() => decodeTcp(new Uint8Array(0))).toThrow(/truncated TCP header: 0 bytes/);
  });

  it('a data offset below 5', () => {
    expect(() => decodeTcp(withByte12(0x40))).toThrow('TCP data offset 4 is below the minimum of 5 words');
    expect(() => decodeTcp(withByte12(0x00))).toThrow(/data offset 0/);
  });

  it('a data offset past the end', () => {
    expect(() => decodeTcp(good.subarray(0, 39))).toThrow('TCP data offset 10 (40 bytes) runs past the 39-byte segment');
    expect(() => decodeTcp(withByte12(0xf0).subarray(0, 40))).toThrow(/data offset 15 \(60 bytes\)/);
  });

  it('malformed options inside the header', () => {
    const bad = good.slice();
    bad[21] = 0; // MSS length 0
    expect(() => decodeTcp(bad)).toThrow(TcpOptionError);
  });

  it('a data offset shorter than the options cuts them: the rest is payload', () => {
    const seg = decodeTcp(withByte12(0x60)); // 24-byte header: only the MSS option
    expect(seg.options).toEqual([{ kind: 'mss', mss: 1460 }]);
    expect(seg.payload).toHaveLength(16);
  });

  it.each<[string, Partial<Segment>, RegExp]>([
    ['source port 65536', { srcPort: 65536 }, /TCP source port must be an integer in 0\.\.65535, got 65536/],
    ['destination port -1', { dstPort: -1 }, /TCP destination port/],
    ['seq 2^32', { seq: 2 ** 32 }, /TCP sequence number must be an integer in 0\.\.4294967295/],
    ['ack 1.5', { ack: 1.5 }, /TCP acknowledgment number/],
    ['flags 0x100', { flags: 0x100 }, /TCP flags/],
    ['window 65536', { window: 65536 }, /TCP window/],
    ['urgent pointer -1', { urgentPointer: -1 }, /TCP urgent pointer/],
    ['options over 40 bytes', { options: new Array(41).fill({ kind: 'nop' }) }, /41 bytes/],
    ['a segment over 65535 bytes', { payload: new Uint8Array(65516) }, /65536 bytes is longer than 65535/],
  ])('encodeTcp rejects %s', (_name, fields, message) => {
    expect(() => encodeTcp({ ...syn, options: [], ...fields }, '10.0.0.1', '10.0.0.2')).toThrow(WireError);
    expect(() => encodeTcp({ ...syn, options: [], ...fields }, '10.0.0.1', '10.0.0.2')).toThrow(message);
  });

  it('encodeTcp and verifyTcpChecksum reject bad or mixed-family addresses', () => {
    expect(() => encodeTcp(syn, '10.0.0.1', '::1')).toThrow(AddressError);
    expect(() => encodeTcp(syn, '10.0.0.1', '::1')).toThrow(/not of the same address family/);
    expect(() => encodeTcp(syn, '10.0.0', '10.0.0.2')).toThrow(AddressError);
    expect(() => verifyTcpChecksum(good, '::1', '10.0.0.2')).toThrow(AddressError);
  });
});
