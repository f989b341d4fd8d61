import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatAddress,
  formatEndpoint,
  formatIPv4,
  formatIPv6,
  isIPv4,
  isIPv6,
  normalizeAddress,
  parseAddress,
  parseEndpoint,
  parseIPv4,
  parseIPv6,
} from '../../src/wire/address.js';
import { AddressError } from '../../src/wire/errors.js';
import { u16 } from './helpers.js';

const words = (ws: number[]): Uint8Array => Uint8Array.from(ws.flatMap((w) => [w >>> 8, w & 0xff]));

/** Eight 16-bit groups with many zeros, so zero runs of every length appear. */
const arbWords = fc.array(fc.oneof(fc.constant(0), fc.constant(0), u16), { minLength: 8, maxLength: 8 });

/** The WHATWG URL serializer's compressed IPv6 text: an oracle written by someone else. */
function urlIPv6(ws: number[]): string {
  return new URL(`http://[${ws.map((w) => w.toString(16)).join(':')}]/`).hostname.slice(1, -1);
}

const isMapped = (ws: number[]): boolean => ws.slice(0, 5).every((w) => w === 0) && ws[5] === 0xffff;

describe('IPv4 addresses', () => {
  it('parses and formats dotted quads', () => {
    expect(Array.from(parseIPv4('10.0.0.1'))).toEqual([10, 0, 0, 1]);
    expect(Array.from(parseIPv4('255.255.255.255'))).toEqual([255, 255, 255, 255]);
    expect(formatIPv4(Uint8Array.of(192, 0, 2, 33))).toBe('192.0.2.33');
  });

  it('round-trips any 4 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(parseIPv4(formatIPv4(b))).toEqual(b);
      }),
    );
  });

  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '', 'a.b.c.d', ' 1.2.3.4', '1.2.3.-4', '1..3.4', '1.2.3.4 '])(
    'rejects %j with an AddressError naming it',
    (text) => {
      expect(() => parseIPv4(text)).toThrow(AddressError);
      expect(() => parseIPv4(text)).toThrow(`"${text}"`);
    },
  );

  it('rejects a byte array of the wrong size', () => {
    expect(() => formatIPv4(new Uint8Array(3))).toThrow(/4 bytes, got 3/);
  });
});

describe('IPv6 addresses', () => {
  it.each([
    // RFC 5952 section 4 examples
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'], // 4.2.1 shorten as much as possible
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // 4.2.2 not for a single zero group
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // 4.2.3 the longest run
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // 4.2.3 the first of equal runs
    ['2001:DB8::1', '2001:db8::1'], // 4.3 lowercase
    ['2001:0db8:0000::0001', '2001:db8::1'], // 4.1 no leading zeros
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['1:2:3:4:5:6:7:0', '1:2:3:4:5:6:7:0'],
    ['0:0:1:0:0:0:1:0', '0:0:1::1:0'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'], // "::" may stand for a single group when parsing
    // RFC 5952 section 5: IPv4-mapped addresses in mixed notation
    ['::ffff:c000:0221', '::ffff:192.0.2.33'],
    ['::FFFF:192.0.2.33', '::ffff:192.0.2.33'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s prints as %s', (text, canonical) => {
    expect(formatIPv6(parseIPv6(text))).toBe(canonical);
  });

  it('parses groups into bytes', () => {
    expect(Array.from(parseIPv6('2001:db8::ff00:42:8329'))).toEqual(
      Array.from(words([0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329])),
    );
    expect(Array.from(parseIPv6('::1.2.3.4'))).toEqual([...new Array<number>(12).fill(0), 1, 2, 3, 4]);
  });

  it('round-trips any 16 bytes', () => {
    fc.assert(
      fc.property(arbWords, (ws) => {
        expect(parseIPv6(formatIPv6(words(ws)))).toEqual(words(ws));
      }),
    );
  });

  it('compresses exactly as the WHATWG URL serializer does (outside the IPv4-mapped range)', () => {
    fc.assert(
      fc.property(arbWords, (ws) => {
        fc.pre(!isMapped(ws));
        expect(formatIPv6(words(ws))).toBe(urlIPv6(ws));
      }),
    );
  });

  it("accepts every form fast-check's ipV6() produces, and normalizes it as URL does", () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const bytes = parseIPv6(text);
        const ws = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number));
        fc.pre(!isMapped(ws));
        expect(normalizeAddress(text)).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
      }),
    );
  });

  it.each([
    '1:::2',
    '1::2::3',
    '12345::',
    'g::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    'fe80::1%eth0',
    '::ffff:1.2.3.256',
    '1.2.3.4::',
    '[::1]',
    '',
    ':',
  ])('rejects %j with an AddressError naming it', (text) => {
    expect(() => parseIPv6(text)).toThrow(AddressError);
    expect(() => parseIPv6(text)).toThrow(`"${text}"`);
  });
});

describe('either family', () => {
  it('parseAddress and formatAddress pick the family', () => {
    expect(parseAddress('10.0.0.1')).toHaveLength(4);
    expect(parseAddress('::1')).toHaveLength(16);
    expect(formatAddress(Uint8Array.of(10, 0, 0, 1))).toBe('10.0.0.1');
    expect(formatAddress(words([0, 0, 0, 0, 0, 0, 0, 1]))).toBe('::1');
    expect(() => formatAddress(new Uint8Array(5))).toThrow(/4 or 16 bytes, got 5/);
  });

  it('isIPv6 and isIPv4 accept valid literals only', () => {
    expect(isIPv6('::1')).toBe(true);
    expect(isIPv6('2001:db8::1')).toBe(true);
    expect(isIPv6('::ffff:10.0.0.1')).toBe(true);
    expect(isIPv6('10.0.0.1')).toBe(false);
    expect(isIPv6('1::2::3')).toBe(false);
    expect(isIPv6('[::1]')).toBe(false);
    expect(isIPv4('10.0.0.1')).toBe(true);
    expect(isIPv4('::1')).toBe(false);
    expect(isIPv4('10.0.0.256')).toBe(false);
  });

  it('isIPv4 and isIPv6 agree with fast-check generated addresses', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => {
        expect([isIPv4(v4), isIPv6(v4), isIPv4(v6), isIPv6(v6)]).toEqual([true, false, false, true]);
      }),
    );
  });
});

describe('endpoints', () => {
  it('formats IPv4 as addr:port and IPv6 as [addr]:port, in canonical form', () => {
    expect(formatEndpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(formatEndpoint('::1', 80)).toBe('[::1]:80');
    expect(formatEndpoint('2001:DB8:0::1', 443)).toBe('[2001:db8::1]:443');
    expect(formatEndpoint('10.0.0.1', 0)).toBe('10.0.0.1:0');
    expect(formatEndpoint('10.0.0.1', 65535)).toBe('10.0.0.1:65535');
  });

  it('parses both forms', () => {
    expect(parseEndpoint('10.0.0.1:80')).toEqual({ ip: '10.0.0.1', port: 80 });
    expect(parseEndpoint('[::1]:80')).toEqual({ ip: '::1', port: 80 });
    expect(parseEndpoint('[2001:DB8:0:0::1]:0')).toEqual({ ip: '2001:db8::1', port: 0 });
    expect(parseEndpoint('[::ffff:10.0.0.1]:65535')).toEqual({ ip: '::ffff:10.0.0.1', port: 65535 });
  });

  it('round-trips any address and port', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), u16, (ip, port) => {
        expect(parseEndpoint(formatEndpoint(ip, port))).toEqual({ ip: normalizeAddress(ip), port });
      }),
    );
  });

  it.each([
    ['10.0.0.1', /expected "address:port"/],
    ['10.0.0.1:65536', /port 65536 is out of range 0\.\.65535/],
    ['10.0.0.1:99999999', /not a decimal number/],
    ['10.0.0.1:-1', /not a decimal number/],
    ['10.0.0.1:', /not a decimal number/],
    ['10.0.0.1:8a', /not a decimal number/],
    ['10.0.0.1: 80', /not a decimal number/],
    ['::1:80', /needs brackets/],
    ['[::1]80', /expected ":port"/],
    ['[::1', /missing "]"/],
    ['[10.0.0.1]:80', /only for IPv6/],
    ['300.0.0.1:80', /300 is more than 255/],
    ['[1::2::3]:80', /"::" may appear only once/],
    [':80', /invalid IP address ""/],
  ])('parseEndpoint(%j) throws an AddressError matching %s', (text, why) => {
    expect(() => parseEndpoint(text)).toThrow(AddressError);
    expect(() => parseEndpoint(text)).toThrow(why);
    expect(() => parseEndpoint(text)).toThrow(`"${text}"`);
  });

  it('formatEndpoint rejects bad ports and addresses', () => {
    expect(() => formatEndpoint('10.0.0.1', 65536)).toThrow(/port must be an integer in 0\.\.65535, got 65536/);
    expect(() => formatEndpoint('10.0.0.1', -1)).toThrow(AddressError);
    expect(() => formatEndpoint('10.0.0.1', 1.5)).toThrow(AddressError);
    expect(() => formatEndpoint('10.0.0', 80)).toThrow(AddressError);
  });
});
