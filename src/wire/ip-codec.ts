// IPv4 (RFC 791) and IPv6 (RFC 8200) headers, and whole packets carrying TCP or UDP.
// No IP options or extension headers are written; fragments are not supported.
import { checkUint, needBytes, readU16, writeU16 } from './bytes.js';
import { formatIPv4, formatIPv6, parseAddressPair } from './address.js';
import { internetChecksum } from './checksum.js';
import { AddressError, ChecksumError, WireError } from './errors.js';
import type { Packet } from './segment.js';
import { IPPROTO_TCP, decodeTcp, encodeTcp, verifyTcpChecksum } from './tcp-codec.js';
import { IPPROTO_UDP, decodeUdp, encodeUdp, verifyUdpChecksum } from './udp-codec.js';

export const IPV4_HEADER_LENGTH = 20;
export const IPV6_HEADER_LENGTH = 40;
/** Linux's net.ipv4.ip_default_ttl and net.ipv6.conf.*.hop_limit. */
export const DEFAULT_TTL = 64;

const IPV4_DF = 0x4000;
const IPV4_MF = 0x2000;
const IPV4_FRAGMENT_OFFSET = 0x1fff;

export interface IPv4Datagram {
  src: string;
  dst: string;
  /** Protocol number: 6 TCP, 17 UDP. */
  proto: number;
  ttl: number;
  /** Identification field. */
  id: number;
  payload: Uint8Array;
}

export interface IPv6Datagram {
  src: string;
  dst: string;
  nextHeader: number;
  hopLimit: number;
  payload: Uint8Array;
}

function addresses(src: string, dst: string, size: 4 | 16, family: string): { src: Uint8Array; dst: Uint8Array } {
  const pair = parseAddressPair(src, dst);
  if (pair.src.length !== size) throw new AddressError(`${family} needs ${family} addresses, got ${src} -> ${dst}`);
  return pair;
}

/**
 * An IPv4 header (IHL 5, no options) plus payload, with DF set and no fragmentation, as Linux sends TCP
 * (path MTU discovery, ip_select_ident / IP_DF in net/ipv4/ip_output.c).
 */
export function encodeIPv4(packet: IPv4Datagram): Uint8Array {
  const addrs = addresses(packet.src, packet.dst, 4, 'IPv4');
  checkUint('IPv4 protocol', packet.proto, 8);
  checkUint('IPv4 TTL', packet.ttl, 8);
  checkUint('IPv4 identification', packet.id, 16);
  const total = IPV4_HEADER_LENGTH + packet.payload.length;
  if (total > 0xffff) throw new WireError(`IPv4 packet of ${total} bytes is longer than 65535`);
  const out = new Uint8Array(total);
  out[0] = 0x45; // version 4, IHL 5 words
  writeU16(out, 2, total);
  writeU16(out, 4, packet.id);
  writeU16(out, 6, IPV4_DF);
  out[8] = packet.ttl;
  out[9] = packet.proto;
  out.set(addrs.src, 12);
  out.set(addrs.dst, 16);
  writeU16(out, 10, internetChecksum(out.subarray(0, IPV4_HEADER_LENGTH)));
  out.set(packet.payload, IPV4_HEADER_LENGTH);
  return out;
}

/**
 * Parses and validates an IPv4 packet: version, header length, total length, header checksum (ChecksumError),
 * and no fragmentation. IP options are skipped; bytes past the total length (link padding) are ignored.
 */
export function decodeIPv4(bytes: Uint8Array): IPv4Datagram {
  needBytes('IPv4 header', bytes, IPV4_HEADER_LENGTH);
  const version = (bytes[0] as number) >>> 4;
  if (version !== 4) throw new WireError(`IP version ${version} where 4 was expected`);
  const headerLength = ((bytes[0] as number) & 0x0f) * 4;
  if (headerLength < IPV4_HEADER_LENGTH) throw new WireError(`IPv4 header length ${headerLength} is below 20`);
  needBytes('IPv4 header with options', bytes, headerLength);
  const total = readU16(bytes, 2);
  if (total < headerLength) throw new WireError(`IPv4 total length ${total} is shorter than its ${headerLength}-byte header`);
  if (total > bytes.length) throw new WireError(`IPv4 total length ${total} runs past the ${bytes.length} bytes received`);
  const sum = internetChecksum(bytes.subarray(0, headerLength));
  if (sum !== 0) throw new ChecksumError(`IPv4 header checksum 0x${readU16(bytes, 10).toString(16)} is wrong`);
  const fragment = readU16(bytes, 6);
  if ((fragment & (IPV4_MF | IPV4_FRAGMENT_OFFSET)) !== 0) {
    throw new WireError(`IPv4 fragments are not supported (flags/offset 0x${fragment.toString(16)})`);
  }
  return {
    src: formatIPv4(bytes.subarray(12, 16)),
    dst: formatIPv4(bytes.subarray(16, 20)),
    proto: bytes[9] as number,
    ttl: bytes[8] as number,
    id: readU16(bytes, 4),
    payload: bytes.slice(headerLength, total),
  };
}

/** The fixed 40-byte IPv6 header (traffic class and flow label zero) plus payload. */
export function encodeIPv6(packet: IPv6Datagram): Uint8Array {
  const addrs = addresses(packet.src, packet.dst, 16, 'IPv6');
  checkUint('IPv6 next header', packet.nextHeader, 8);
  checkUint('IPv6 hop limit', packet.hopLimit, 8);
  if (packet.payload.length > 0xffff) {
    throw new WireError(`IPv6 payload of ${packet.payload.length} bytes is longer than 65535 (jumbograms are not supported)`);
  }
  const out = new Uint8Array(IPV6_HEADER_LENGTH + packet.payload.length);
  out[0] = 0x60; // version 6
  writeU16(out, 4, packet.payload.length);
  out[6] = packet.nextHeader;
  out[7] = packet.hopLimit;
  out.set(addrs.src, 8);
  out.set(addrs.dst, 24);
  out.set(packet.payload, IPV6_HEADER_LENGTH);
  return out;
}

/** Parses an IPv6 packet; bytes past the payload length are ignored. Extension headers are returned as payload. */
export function decodeIPv6(bytes: Uint8Array): IPv6Datagram {
  needBytes('IPv6 header', bytes, IPV6_HEADER_LENGTH);
  const version = (bytes[0] as number) >>> 4;
  if (version !== 6) throw new WireError(`IP version ${version} where 6 was expected`);
  const payloadLength = readU16(bytes, 4);
  if (IPV6_HEADER_LENGTH + payloadLength > bytes.length) {
    throw new WireError(`IPv6 payload length ${payloadLength} runs past the ${bytes.length - IPV6_HEADER_LENGTH} bytes after the header`);
  }
  return {
    src: formatIPv6(bytes.subarray(8, 24)),
    dst: formatIPv6(bytes.subarray(24, 40)),
    nextHeader: bytes[6] as number,
    hopLimit: bytes[7] as number,
    payload: bytes.slice(IPV6_HEADER_LENGTH, IPV6_HEADER_LENGTH + payloadLength),
  };
}

/**
 * The whole IP datagram for a Packet: IPv4 or IPv6 by its addresses, TTL/hop limit `packet.ttl` (default 64).
 * `ipId` is the IPv4 identification field (ignored for IPv6).
 */
export function encodePacket(packet: Packet, ipId: number): Uint8Array {
  const ttl = packet.ttl ?? DEFAULT_TTL;
  const [proto, payload] =
    packet.proto === 'tcp'
      ? [IPPROTO_TCP, encodeTcp(packet.segment, packet.src, packet.dst)]
      : [IPPROTO_UDP, encodeUdp(packet.datagram, packet.src, packet.dst)];
  if (parseAddressPair(packet.src, packet.dst).src.length === 16) {
    return encodeIPv6({ src: packet.src, dst: packet.dst, nextHeader: proto, hopLimit: ttl, payload });
  }
  return encodeIPv4({ src: packet.src, dst: packet.dst, proto, ttl, id: ipId, payload });
}

export interface DecodePacketOptions {
  /** Check the TCP/UDP checksum and throw ChecksumError if wrong (default true). The IPv4 header checksum is always checked. */
  verifyChecksum?: boolean;
}

/**
 * Parses an IPv4 or IPv6 datagram carrying TCP or UDP into a Packet (addresses in canonical text).
 * Throws WireError (ChecksumError, TcpOptionError) for anything malformed, corrupted or unsupported.
 */
export function decodePacket(bytes: Uint8Array, options: DecodePacketOptions = {}): Packet {
  needBytes('IP packet', bytes, 1);
  const version = (bytes[0] as number) >>> 4;
  let ip: { src: string; dst: string; proto: number; ttl: number; payload: Uint8Array };
  if (version === 4) {
    ip = decodeIPv4(bytes);
  } else if (version === 6) {
    const v6 = decodeIPv6(bytes);
    ip = { src: v6.src, dst: v6.dst, proto: v6.nextHeader, ttl: v6.hopLimit, payload: v6.payload };
  } else {
    throw new WireError(`IP version ${version} is neither 4 nor 6`);
  }
  const verify = options.verifyChecksum ?? true;
  const { src, dst, ttl, payload } = ip;
  if (ip.proto === IPPROTO_TCP) {
    const segment = decodeTcp(payload);
    if (verify && !verifyTcpChecksum(payload, src, dst)) throw new ChecksumError(`TCP checksum is wrong (${src} -> ${dst})`);
    return { proto: 'tcp', src, dst, ttl, segment };
  }
  if (ip.proto === IPPROTO_UDP) {
    const datagram = decodeUdp(payload);
    if (verify && !verifyUdpChecksum(payload, src, dst)) throw new ChecksumError(`UDP checksum is wrong (${src} -> ${dst})`);
    return { proto: 'udp', src, dst, ttl, datagram };
  }
  throw new WireError(`IP protocol ${ip.proto} is neither TCP (6) nor UDP (17)`);
}
