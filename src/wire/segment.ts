// The TCP segment as it travels: every header field a packet carries (RFC 9293 section 3.1).
import type { Seq } from './seq.js';

/** Control bits, in header bit order (RFC 9293 3.1, RFC 3168 for ECE/CWR). */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;
export const ECE = 0x40;
export const CWR = 0x80;

/** Names in the order tools such as tcpdump print them. */
export const FLAG_NAMES: ReadonlyArray<readonly [number, FlagName]> = [
  [SYN, 'SYN'],
  [FIN, 'FIN'],
  [RST, 'RST'],
  [PSH, 'PSH'],
  [ACK, 'ACK'],
  [URG, 'URG'],
  [ECE, 'ECE'],
  [CWR, 'CWR'],
];

export type FlagName = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR';

/** ['SYN', 'ACK'] for SYN|ACK. */
export function flagNames(flags: number): FlagName[] {
  return FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

/** SYN|ACK for ['SYN', 'ACK']; throws on an unknown name. */
export function flagsFromNames(names: readonly string[]): number {
  let flags = 0;
  for (const name of names) {
    const entry = FLAG_NAMES.find(([, n]) => n === name.toUpperCase());
    if (!entry) throw new Error(`unknown TCP flag "${name}"`);
    flags |= entry[0];
  }
  return flags;
}

/** TCP options (RFC 9293 3.2, RFC 7323, RFC 2018). Unknown kinds are kept byte for byte. */
export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'windowScale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: Array<readonly [Seq, Seq]> }
  | { kind: 'timestamps'; tsVal: number; tsEcr: number }
  | { kind: 'unknown'; code: number; data: Uint8Array };

/** One TCP segment. Addresses live with the IP packet (see `Packet`); ports are here. */
export interface Segment {
  srcPort: number;
  dstPort: number;
  seq: Seq;
  ack: Seq;
  /** Bitwise OR of FIN, SYN, RST, PSH, ACK, URG, ECE, CWR. */
  flags: number;
  /** The 16-bit window field as sent (before window scaling is applied). */
  window: number;
  urgentPointer: number;
  options: TcpOption[];
  payload: Uint8Array;
}

/** SEG.LEN: payload octets plus one for SYN and one for FIN (RFC 9293 3.4). */
export function segLen(seg: Pick<Segment, 'flags' | 'payload'>): number {
  return seg.payload.length + (seg.flags & SYN ? 1 : 0) + (seg.flags & FIN ? 1 : 0);
}

export function hasFlag(seg: Pick<Segment, 'flags'>, flag: number): boolean {
  return (seg.flags & flag) !== 0;
}

/** A segment with defaults for everything not given. */
export function makeSegment(fields: Partial<Segment> & Pick<Segment, 'srcPort' | 'dstPort'>): Segment {
  return {
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    urgentPointer: 0,
    options: [],
    payload: new Uint8Array(0),
    ...fields,
  };
}

/** A UDP datagram (RFC 768). */
export interface Datagram {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

/** An IP packet carrying a TCP segment or a UDP datagram between two addresses. */
export type Packet =
  | { proto: 'tcp'; src: string; dst: string; ttl?: number; segment: Segment }
  | { proto: 'udp'; src: string; dst: string; ttl?: number; datagram: Datagram };
