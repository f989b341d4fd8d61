// IPv4 (RFC 791 3.1) and IPv6 (RFC 8200 3, 4) headers as captured: the packet may be cut by the snapshot length,
// checksums may be wrong (offload), so nothing here throws. A header that cannot be walked gives a reason.
import { readU16 } from '../wire/bytes.js';
import { formatIPv4, formatIPv6 } from '../wire/address.js';
import { internetChecksum } from '../wire/checksum.js';
import { copyBytes } from './cursor.js';

export interface IpView {
  version: 4 | 6;
  src: string;
  dst: string;
  srcBytes: Uint8Array;
  dstBytes: Uint8Array;
  ttl: number;
  /** Protocol (IPv4) or the last next-header value (IPv6). */
  protocol: number;
  /** The captured part of the transport header and data. */
  transport: Uint8Array;
  /** The transport length per the IP header: more than transport.length when the capture was cut. */
  transportLength: number;
  /** IPv4 header checksum verdict; undefined for IPv6, which has none. */
  headerChecksumOk: boolean | undefined;
}

const PROTOCOL_NAMES: Record<number, string> = {
  0: 'Hop-by-Hop Options',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPv4-in-IP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6-in-IP',
  43: 'Routing',
  44: 'Fragment',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  59: 'No Next Header',
  60: 'Destination Options',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

export function protocolName(protocol: number): string {
  const name = PROTOCOL_NAMES[protocol];
  return name ? `${protocol} (${name})` : String(protocol);
}

/** Why `need` bytes are missing: cut by the snapshot length (the wire had them) or a lying header field. */
function missing(what: string, have: number, need: number, wire: number): string {
  return need <= wire
    ? `${what} cut short by the snapshot length: ${have} of ${need} bytes captured`
    : `${what} runs past the end of the packet: needs ${need} bytes, the packet has ${wire}`;
}

const IPV4_MF = 0x2000;
const IPV4_OFFSET = 0x1fff;

/** RFC 791 3.1. `wire` is the packet's length on the wire from the IP header on (at least bytes.length). */
function ipv4(bytes: Uint8Array, wire: number): IpView | string {
  if (bytes.length < 20) return missing('IPv4 header', bytes.length, 20, wire);
  const ihl = (bytes[0] as number) & 0x0f;
  if (ihl < 5) return `IPv4 header length (IHL) ${ihl} is below the minimum of 5 words`;
  const headerLength = ihl * 4;
  if (headerLength > bytes.length) return missing(`IPv4 header with options (IHL ${ihl})`, bytes.length, headerLength, wire);
  let total = readU16(bytes, 2);
  // Linux hands outgoing TCP segmentation offload (TSO) packets to the capture with total length 0; like
  // Wireshark, take the frame's length instead.
  if (total === 0 && bytes[9] === 6) total = Math.min(wire, 0xffff);
  if (total < headerLength) return `IPv4 total length ${total} is shorter than its ${headerLength}-byte header`;
  if (total > wire) return `IPv4 total length ${total} runs past the end of the packet (${wire} bytes)`;
  const fragment = readU16(bytes, 6);
  if ((fragment & (IPV4_MF | IPV4_OFFSET)) !== 0) {
    return `IPv4 fragment (offset ${(fragment & IPV4_OFFSET) * 8}${fragment & IPV4_MF ? ', more fragments' : ''}) is not reassembled`;
  }
  const srcBytes = copyBytes(bytes.subarray(12, 16));
  const dstBytes = copyBytes(bytes.subarray(16, 20));
  return {
    version: 4,
    src: formatIPv4(srcBytes),
    dst: formatIPv4(dstBytes),
    srcBytes,
    dstBytes,
    ttl: bytes[8] as number,
    protocol: bytes[9] as number,
    transport: bytes.subarray(headerLength, Math.min(total, bytes.length)),
    transportLength: total - headerLength,
    headerChecksumOk: internetChecksum(bytes.subarray(0, headerLength)) === 0,
  };
}

/** Extension headers with the generic layout: next header, length in 8-octet units beyond the first 8. */
const GENERIC_EXTENSIONS = new Set([0, 43, 60]);

/** RFC 8200 3 and 4: the fixed header, then Hop-by-Hop, Routing and Destination Options headers are walked. */
function ipv6(bytes: Uint8Array, wire: number): IpView | string {
  if (bytes.length < 40) return missing('IPv6 header', bytes.length, 40, wire);
  const payloadLength = readU16(bytes, 4);
  let next = bytes[6] as number;
  if (payloadLength === 0 && next === 0) return 'IPv6 jumbogram (payload length 0 with Hop-by-Hop Options) is not decoded';
  if (40 + payloadLength > wire) return `IPv6 payload length ${payloadLength} runs past the end of the packet (${wire - 40} bytes after the header)`;
  const end = 40 + payloadLength;
  let at = 40;
  while (GENERIC_EXTENSIONS.has(next)) {
    const what = `IPv6 ${PROTOCOL_NAMES[next]} header`;
    if (at + 2 > end) return `${what} runs past the IPv6 payload length ${payloadLength}`;
    if (at + 2 > bytes.length) return missing(what, bytes.length - at, 2, wire - at);
    const length = ((bytes[at + 1] as number) + 1) * 8;
    if (at + length > end) return `${what} of ${length} bytes runs past the IPv6 payload length ${payloadLength}`;
    next = bytes[at] as number;
    at += length;
  }
  if (next === 44) return 'IPv6 fragment is not reassembled';
  const srcBytes = copyBytes(bytes.subarray(8, 24));
  const dstBytes = copyBytes(bytes.subarray(24, 40));
  return {
    version: 6,
    src: formatIPv6(srcBytes),
    dst: formatIPv6(dstBytes),
    srcBytes,
    dstBytes,
    ttl: bytes[7] as number,
    protocol: next,
    transport: bytes.subarray(Math.min(at, bytes.length), Math.min(end, bytes.length)),
    transportLength: end - at,
    headerChecksumOk: undefined,
  };
}

/**
 * The IP header at the start of `bytes` (the captured bytes after the link header). `wire` is the length of
 * the same span on the wire; `expected` is the version the link layer announced (undefined: trust the nibble).
 */
export function parseIp(bytes: Uint8Array, wire: number, expected: 4 | 6 | undefined): IpView | string {
  if (bytes.length < 1) return missing('IP header', 0, 20, wire);
  const version = (bytes[0] as number) >>> 4;
  if (expected !== undefined && version !== expected) return `IP version ${version} where the link layer announced IPv${expected}`;
  if (version === 4) return ipv4(bytes, wire);
  if (version === 6) return ipv6(bytes, wire);
  return `IP version ${version} is neither 4 nor 6`;
}
