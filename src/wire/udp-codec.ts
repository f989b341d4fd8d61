// The UDP header (RFC 768): source port, destination port, length (header + data), checksum.
import { parseAddressPair } from './address.js';
import { checkUint, needBytes, readU16, writeU16 } from './bytes.js';
import { transportChecksum } from './checksum.js';
import { WireError } from './errors.js';
import type { Datagram } from './segment.js';

export const IPPROTO_UDP = 17;
export const UDP_HEADER_LENGTH = 8;
export const UDP_CHECKSUM_OFFSET = 6;

/** The datagram as bytes, with its checksum over the pseudo-header of `src` -> `dst`. */
export function encodeUdp(datagram: Datagram, src: string, dst: string): Uint8Array {
  checkUint('UDP source port', datagram.srcPort, 16);
  checkUint('UDP destination port', datagram.dstPort, 16);
  const addrs = parseAddressPair(src, dst);
  const length = UDP_HEADER_LENGTH + datagram.payload.length;
  if (length > 0xffff) throw new WireError(`UDP datagram of ${length} bytes is longer than 65535`);
  const out = new Uint8Array(length);
  writeU16(out, 0, datagram.srcPort);
  writeU16(out, 2, datagram.dstPort);
  writeU16(out, 4, length);
  out.set(datagram.payload, UDP_HEADER_LENGTH);
  // A computed 0 is sent as 0xffff: 0 means "no checksum" (RFC 768), which IPv6 forbids (RFC 8200 8.1).
  writeU16(out, UDP_CHECKSUM_OFFSET, transportChecksum(addrs.src, addrs.dst, IPPROTO_UDP, out) || 0xffff);
  return out;
}

/**
 * Parses a UDP datagram. Bytes beyond the length field are ignored (link padding). Throws WireError for a
 * truncated header or a length field below 8 or past the end. Does not check the checksum (see verifyUdpChecksum).
 */
export function decodeUdp(bytes: Uint8Array): Datagram {
  needBytes('UDP header', bytes, UDP_HEADER_LENGTH);
  const length = readU16(bytes, 4);
  if (length < UDP_HEADER_LENGTH) throw new WireError(`UDP length ${length} is below the 8-byte header`);
  if (length > bytes.length) throw new WireError(`UDP length ${length} runs past the ${bytes.length} bytes received`);
  return { srcPort: readU16(bytes, 0), dstPort: readU16(bytes, 2), payload: bytes.slice(UDP_HEADER_LENGTH, length) };
}

/**
 * True if the checksum is right for `src` -> `dst`. A zero checksum field means "not computed": accepted over
 * IPv4 (RFC 768), rejected over IPv6 (RFC 8200 8.1).
 */
export function verifyUdpChecksum(bytes: Uint8Array, src: string, dst: string): boolean {
  const addrs = parseAddressPair(src, dst);
  needBytes('UDP header', bytes, UDP_HEADER_LENGTH);
  const length = readU16(bytes, 4);
  if (length < UDP_HEADER_LENGTH || length > bytes.length) return false;
  if (readU16(bytes, UDP_CHECKSUM_OFFSET) === 0) return addrs.src.length === 4;
  return transportChecksum(addrs.src, addrs.dst, IPPROTO_UDP, bytes.subarray(0, length)) === 0;
}
