// The Internet checksum (RFC 1071) and the TCP/UDP pseudo-headers (RFC 9293 3.1 for IPv4, RFC 8200 8.1 for IPv6).
//
// Sums are kept folded to 16 bits, so they can be built up piece by piece: `onesSum(b, onesSum(a))` is the sum
// of a followed by b whenever a has even length. `internetChecksum(...parts)` handles parts of any length.
import { checkUint } from './bytes.js';
import { WireError } from './errors.js';

/** Folds carries back into the low 16 bits (end-around carry, RFC 1071 2(A)). */
export function foldSum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/**
 * The 16-bit ones'-complement sum of `data` read as big-endian words (an odd last byte is padded with zero),
 * added to the running sum `initial`. Not complemented: see `checksumOf`.
 */
export function onesSum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) {
    sum += ((data[i] as number) << 8) | (data[i + 1] as number);
    // Fold now and then so the running total stays a small integer.
    if (sum > 0x7fffffff) sum = foldSum(sum);
  }
  if (data.length !== even) sum += (data[even] as number) << 8;
  return foldSum(sum);
}

/** The checksum field value for a ones'-complement sum: its complement. */
export function checksumOf(sum: number): number {
  return ~foldSum(sum) & 0xffff;
}

/** Swaps the two bytes of a 16-bit sum: the sum of data starting at an odd offset (RFC 1071 2(B)). */
function swap16(sum: number): number {
  return ((sum & 0xff) << 8) | (sum >>> 8);
}

/**
 * The Internet checksum of the concatenation of `parts` (RFC 1071). Over a buffer whose checksum field already
 * holds the right value the result is 0, which is how receivers verify.
 */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  let offset = 0;
  for (const part of parts) {
    const partSum = onesSum(part);
    sum = foldSum(sum + (offset % 2 === 0 ? partSum : swap16(partSum)));
    offset += part.length;
  }
  return checksumOf(sum);
}

/**
 * The pseudo-header a TCP or UDP checksum covers. IPv4 (RFC 9293 3.1): source, destination, zero, protocol,
 * 16-bit length (12 bytes). IPv6 (RFC 8200 8.1): source, destination, 32-bit upper-layer length, three zero
 * bytes, next header (40 bytes). The family comes from the address length (4 or 16 bytes).
 */
export function pseudoHeader(src: Uint8Array, dst: Uint8Array, proto: number, length: number): Uint8Array {
  checkUint('pseudo-header protocol', proto, 8);
  if (src.length !== dst.length || (src.length !== 4 && src.length !== 16)) {
    throw new WireError(
      `pseudo-header needs two IPv4 (4-byte) or two IPv6 (16-byte) addresses, got ${src.length} and ${dst.length} bytes`,
    );
  }
  if (src.length === 4) {
    checkUint('IPv4 pseudo-header length', length, 16);
    const ph = new Uint8Array(12);
    ph.set(src, 0);
    ph.set(dst, 4);
    ph[9] = proto;
    ph[10] = length >>> 8;
    ph[11] = length & 0xff;
    return ph;
  }
  checkUint('IPv6 pseudo-header length', length, 32);
  const ph = new Uint8Array(40);
  ph.set(src, 0);
  ph.set(dst, 16);
  ph[32] = length >>> 24;
  ph[33] = (length >>> 16) & 0xff;
  ph[34] = (length >>> 8) & 0xff;
  ph[35] = length & 0xff;
  ph[39] = proto;
  return ph;
}

/** The ones'-complement sum of the pseudo-header, to start a transport checksum from. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, proto: number, length: number): number {
  return onesSum(pseudoHeader(src, dst, proto, length));
}

/**
 * The TCP/UDP checksum of `segment` (header with its checksum field, and payload) between `src` and `dst`.
 * With the field zeroed this is the value to store; with the stored value in place a correct segment gives 0.
 */
export function transportChecksum(src: Uint8Array, dst: Uint8Array, proto: number, segment: Uint8Array): number {
  return checksumOf(onesSum(segment, pseudoHeaderSum(src, dst, proto, segment.length)));
}
