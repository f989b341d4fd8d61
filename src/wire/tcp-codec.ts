// The TCP header on the wire (RFC 9293 3.1; ECE and CWR from RFC 3168 6.1).
//
//  0                   1                   2                   3
//  source port                    | destination port
//  sequence number
//  acknowledgment number
//  data offset | reserved | flags | window
//  checksum                       | urgent pointer
//  options (0-40 bytes, padded to 32 bits), then data
import { parseAddressPair } from './address.js';
import { checkUint, needBytes, readU16, readU32, writeU16, writeU32 } from './bytes.js';
import { transportChecksum } from './checksum.js';
import { WireError } from './errors.js';
import { decodeOptions, encodeOptions } from './options.js';
import type { Segment } from './segment.js';

export const IPPROTO_TCP = 6;
/** Header length without options. */
export const TCP_HEADER_LENGTH = 20;
/** Offset of the checksum field. */
export const TCP_CHECKSUM_OFFSET = 16;

/** The TCP segment as bytes, with its checksum over the IPv4 or IPv6 pseudo-header of `src` -> `dst`. */
export function encodeTcp(seg: Segment, src: string, dst: string): Uint8Array {
  const addrs = parseAddressPair(src, dst);
  checkUint('TCP source port', seg.srcPort, 16);
  checkUint('TCP destination port', seg.dstPort, 16);
  checkUint('TCP sequence number', seg.seq, 32);
  checkUint('TCP acknowledgment number', seg.ack, 32);
  checkUint('TCP flags', seg.flags, 8);
  checkUint('TCP window', seg.window, 16);
  checkUint('TCP urgent pointer', seg.urgentPointer, 16);
  const options = encodeOptions(seg.options);
  const headerLength = TCP_HEADER_LENGTH + options.length;
  const total = headerLength + seg.payload.length;
  // The IP payload length (and the IPv4 pseudo-header's TCP length) is a 16-bit field.
  if (total > 0xffff) throw new WireError(`TCP segment of ${total} bytes is longer than 65535`);
  const out = new Uint8Array(total);
  writeU16(out, 0, seg.srcPort);
  writeU16(out, 2, seg.dstPort);
  writeU32(out, 4, seg.seq);
  writeU32(out, 8, seg.ack);
  out[12] = (headerLength / 4) << 4; // data offset in 32-bit words; reserved bits zero
  out[13] = seg.flags;
  writeU16(out, 14, seg.window);
  writeU16(out, 18, seg.urgentPointer);
  out.set(options, TCP_HEADER_LENGTH);
  out.set(seg.payload, headerLength);
  writeU16(out, TCP_CHECKSUM_OFFSET, transportChecksum(addrs.src, addrs.dst, IPPROTO_TCP, out));
  return out;
}

/**
 * Parses a TCP segment (the whole IP payload: header, options, data). Does not check the checksum (see
 * verifyTcpChecksum). Throws WireError for a truncated header or a bad data offset, TcpOptionError for bad options.
 */
export function decodeTcp(bytes: Uint8Array): Segment {
  needBytes('TCP header', bytes, TCP_HEADER_LENGTH);
  const dataOffset = (bytes[12] as number) >>> 4;
  if (dataOffset < 5) throw new WireError(`TCP data offset ${dataOffset} is below the minimum of 5 words`);
  const headerLength = dataOffset * 4;
  if (headerLength > bytes.length) {
    throw new WireError(`TCP data offset ${dataOffset} (${headerLength} bytes) runs past the ${bytes.length}-byte segment`);
  }
  return {
    srcPort: readU16(bytes, 0),
    dstPort: readU16(bytes, 2),
    seq: readU32(bytes, 4),
    ack: readU32(bytes, 8),
    flags: bytes[13] as number,
    window: readU16(bytes, 14),
    urgentPointer: readU16(bytes, 18),
    options: decodeOptions(bytes.subarray(TCP_HEADER_LENGTH, headerLength)),
    payload: bytes.slice(headerLength),
  };
}

/** True if the segment's checksum is right for the pseudo-header of `src` -> `dst` (RFC 9293 3.1). */
export function verifyTcpChecksum(bytes: Uint8Array, src: string, dst: string): boolean {
  const addrs = parseAddressPair(src, dst);
  return transportChecksum(addrs.src, addrs.dst, IPPROTO_TCP, bytes) === 0;
}
