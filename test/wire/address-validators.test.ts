// isIPv4 / isIPv6 answer without throwing (issue 11: resolving a host name threw and caught an error),
// and the fast paths accept exactly what the rules accept: a dotted quad is four decimal parts 0..255
// without leading zeros (src/wire/address.ts), and a valid dotted quad is already in canonical form.
import { describe, expect, it } from 'vitest';
import { formatEndpoint, isIPv4, isIPv6, normalizeAddress, parseIPv4 } from '../../src/wire/address.js';

/** The rule, written independently of the scanner under test. */
const dottedQuad = (t: string): boolean => {
  const parts = t.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
};

describe('isIPv4 and isIPv6 on names and near-misses', () => {
  it('say no to host names without throwing', () => {
    for (const name of ['server', 'client', 'localhost', '', 'a.b.c.d', 'host-1']) {
      expect(() => isIPv4(name)).not.toThrow();
      expect(() => isIPv6(name)).not.toThrow();
      expect(isIPv4(name)).toBe(false);
      expect(isIPv6(name)).toBe(false);
    }
  });

  it('accept exactly the dotted quads the rule accepts', () => {
    const samples = [
      '10.0.0.1', '0.0.0.0', '255.255.255.255', '256.0.0.1', '1.2.3', '1.2.3.4.', '.1.2.3', '1..2.3',
      '01.2.3.4', '1.2.3.04', '1.2.3.0', '1.2.3.1000', '1.2.3.255 ', ' 1.2.3.4', '1.2.3.-1', '1.2.3.+1',
      '1.2.3.4a', '1.2.3.0x1', '00.0.0.0', '199.99.9.0', '1.2.3.٣',
    ];
    // Every string over a small alphabet up to length 7, then random dotted texts.
    const alphabet = ['0', '1', '2', '5', '9', '.', 'a'];
    const grow = (prefix: string, left: number): void => {
      samples.push(prefix);
      if (left > 0) for (const c of alphabet) grow(prefix + c, left - 1);
    };
    grow('', 4);
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 1000;
    for (let i = 0; i < 3000; i++) samples.push(`${next()}.${next() % 300}.${next() % 260}.${String(next()).padStart(i % 3 === 0 ? 3 : 1, '0')}`);
    for (const t of samples) {
      expect(isIPv4(t), t).toBe(dottedQuad(t));
      if (dottedQuad(t)) expect(Array.from(parseIPv4(t)), t).toEqual(t.split('.').map(Number));
      else expect(() => parseIPv4(t), t).toThrow(/invalid IP address/);
    }
  });

  it('keeps the reasons parseIPv4 gives for a bad address', () => {
    expect(() => parseIPv4('1.2.3')).toThrow('an IPv4 address has four dot-separated parts');
    expect(() => parseIPv4('1.02.3.4')).toThrow('"02" is not a decimal number without leading zeros');
    expect(() => parseIPv4('1.2.300.4')).toThrow('300 is more than 255');
  });

  it('still recognise IPv6 literals, with and without an embedded IPv4 tail', () => {
    expect(isIPv6('::1')).toBe(true);
    expect(isIPv6('2001:db8::1')).toBe(true);
    expect(isIPv6('::ffff:10.0.0.1')).toBe(true);
    expect(isIPv6('::ffff:10.0.0.01')).toBe(false);
    expect(isIPv6('1:2:3')).toBe(false);
    expect(isIPv6('10.0.0.1')).toBe(false);
  });
});

describe('endpoint text on the fast path', () => {
  it('prints a dotted quad as it is and still normalises IPv6 (RFC 5952)', () => {
    expect(formatEndpoint('10.0.0.1', 80)).toBe('10.0.0.1:80');
    expect(normalizeAddress('192.168.0.10')).toBe('192.168.0.10');
    expect(formatEndpoint('0:0::1', 443)).toBe('[::1]:443');
    expect(formatEndpoint('2001:DB8::1', 1)).toBe('[2001:db8::1]:1');
  });

  it('still rejects a bad address or port', () => {
    expect(() => formatEndpoint('10.0.0.01', 80)).toThrow(/invalid IP address/);
    expect(() => formatEndpoint('server', 80)).toThrow(/invalid IP address/);
    expect(() => formatEndpoint('10.0.0.1', 65536)).toThrow(/port must be an integer/);
  });
});
