// Mutating real captures: decode one frame's TCP segment (src/wire), change a field, encode it again with a
// correct TCP checksum (also where the original had an offloaded one) and IPv4 header checksum, and put it back.
// The link-layer header, the IP header (identification, TTL, TOS, options), the record's timestamp and every
// other frame stay byte for byte the same.
import { internetChecksum, pseudoHeaderSum, transportChecksum } from '../../../src/wire/checksum.js';
import { parseAddressPair } from '../../../src/wire/address.js';
import { decodePacket } from '../../../src/wire/ip-codec.js';
import { ACK, FIN, PSH, RST, SYN } from '../../../src/wire/segment.js';
import type { Segment } from '../../../src/wire/segment.js';
import { seqAdd } from '../../../src/wire/seq.js';
import { IPPROTO_TCP, TCP_CHECKSUM_OFFSET, encodeTcp } from '../../../src/wire/tcp-codec.js';
import { ipOffset, readPcap, writePcap } from './pcap-file.js';

/**
 * 'correct'; 'offloaded' when the field holds just the pseudo-header sum — Linux leaves it so for the NIC to finish
 * (CHECKSUM_PARTIAL, __tcp_v4_send_check()), and lo never finishes it, so every TCP segment captured on lo looks
 * like this; or 'wrong'.
 */
export type ChecksumKind = 'correct' | 'offloaded' | 'wrong';

export interface TcpFrame {
  /** Index of the frame in the file, counting from 0 (every frame, TCP or not). */
  index: number;
  src: string;
  dst: string;
  segment: Segment;
  checksum: ChecksumKind;
}

function checksumKind(tcp: Uint8Array, src: string, dst: string): ChecksumKind {
  const addrs = parseAddressPair(src, dst);
  if (transportChecksum(addrs.src, addrs.dst, IPPROTO_TCP, tcp) === 0) return 'correct';
  const field = ((tcp[TCP_CHECKSUM_OFFSET] as number) << 8) | (tcp[TCP_CHECKSUM_OFFSET + 1] as number);
  return field === pseudoHeaderSum(addrs.src, addrs.dst, IPPROTO_TCP, tcp.length) ? 'offloaded' : 'wrong';
}

/** The TCP payload of an IP packet (IPv4 header length from IHL; IPv6 without extension headers). */
function ipPayload(ip: Uint8Array): Uint8Array {
  if ((ip[0] as number) >>> 4 === 4) {
    const total = ((ip[2] as number) << 8) | (ip[3] as number);
    return ip.subarray(((ip[0] as number) & 0x0f) * 4, total);
  }
  return ip.subarray(40, 40 + (((ip[4] as number) << 8) | (ip[5] as number)));
}

/** The frames of a pcap file that carry TCP over IPv4/IPv6, decoded, with the kind of their TCP checksum. */
export function tcpFrames(pcap: Uint8Array): TcpFrame[] {
  const file = readPcap(pcap);
  const frames: TcpFrame[] = [];
  file.records.forEach((r, index) => {
    const off = ipOffset(file.linkType, r.data);
    if (off === undefined) return;
    const ip = r.data.subarray(off);
    let packet;
    try {
      packet = decodePacket(ip, { verifyChecksum: false });
    } catch (e) {
      throw new Error(`frame ${index}: ${(e as Error).message}`);
    }
    if (packet.proto !== 'tcp') return;
    const checksum = checksumKind(ipPayload(ip), packet.src, packet.dst);
    frames.push({ index, src: packet.src, dst: packet.dst, segment: packet.segment, checksum });
  });
  return frames;
}

/** The pcap with frame `index`'s TCP segment replaced by `change(segment)` (checksums recomputed). */
export function mutateTcpFrame(pcap: Uint8Array, index: number, change: (seg: Segment) => Segment): Uint8Array {
  const file = readPcap(pcap);
  const record = file.records[index];
  if (!record) throw new Error(`frame ${index} does not exist (the capture has ${file.records.length} frames)`);
  if (record.data.length < record.originalLength) {
    const cut = `${record.data.length} of ${record.originalLength} bytes`;
    throw new Error(`frame ${index} was captured truncated (${cut}); cannot re-encode it`);
  }
  const off = ipOffset(file.linkType, record.data);
  if (off === undefined) throw new Error(`frame ${index} carries no IP packet`);
  const ip = record.data.subarray(off);
  const packet = decodePacket(ip, { verifyChecksum: false });
  if (packet.proto !== 'tcp') throw new Error(`frame ${index} carries UDP, not TCP`);
  const tcp = encodeTcp(change(packet.segment), packet.src, packet.dst);
  const version = (ip[0] as number) >>> 4;
  let header: Uint8Array;
  let oldLength: number;
  if (version === 4) {
    const ihl = ((ip[0] as number) & 0x0f) * 4;
    oldLength = ((ip[2] as number) << 8) | (ip[3] as number);
    header = ip.slice(0, ihl);
    const total = ihl + tcp.length;
    header[2] = total >>> 8;
    header[3] = total & 0xff;
    header[10] = 0;
    header[11] = 0;
    const sum = internetChecksum(header);
    header[10] = sum >>> 8;
    header[11] = sum & 0xff;
  } else {
    oldLength = 40 + (((ip[4] as number) << 8) | (ip[5] as number));
    header = ip.slice(0, 40);
    header[4] = tcp.length >>> 8;
    header[5] = tcp.length & 0xff;
  }
  const trailer = ip.subarray(oldLength); // link-layer padding, if any
  const frame = new Uint8Array(off + header.length + tcp.length + trailer.length);
  frame.set(record.data.subarray(0, off), 0);
  frame.set(header, off);
  frame.set(tcp, off + header.length);
  frame.set(trailer, off + header.length + tcp.length);
  const records = file.records.map((r, i) =>
    i === index ? { ...r, data: frame, originalLength: r.originalLength - r.data.length + frame.length } : r,
  );
  return writePcap({ ...file, records });
}

export interface Mutation {
  /** The mutated capture. */
  pcap: Uint8Array;
  /** The frame that was changed (index in the file, from 0). */
  frame: number;
  /** What was done, for test names and failure messages. */
  what: string;
}

const ONLY_ACK = (seg: Segment): boolean => (seg.flags & ~PSH) === ACK && seg.payload.length === 0;

/** Same connection, same direction. */
function sameDirection(x: TcpFrame, y: TcpFrame): boolean {
  return x.src === y.src && x.dst === y.dst && x.segment.srcPort === y.segment.srcPort && x.segment.dstPort === y.segment.dstPort;
}

/** Same connection, opposite direction. */
function reverseDirection(x: TcpFrame, y: TcpFrame): boolean {
  return x.src === y.dst && x.dst === y.src && x.segment.srcPort === y.segment.dstPort && x.segment.dstPort === y.segment.srcPort;
}

function find(frames: TcpFrame[], what: string, pred: (f: TcpFrame) => boolean, after = -1): TcpFrame {
  const f = frames.find((x) => x.index > after && pred(x));
  if (!f) throw new Error(`the capture has no ${what}`);
  return f;
}

/** The first SYN-ACK acknowledges 1000 more than the client's ISS + 1 (RFC 9293 3.10.7.3: unacceptable ACK). */
export function wrongSynAckAck(pcap: Uint8Array): Mutation {
  const f = find(tcpFrames(pcap), 'SYN-ACK', (x) => (x.segment.flags & (SYN | ACK)) === (SYN | ACK));
  return {
    pcap: mutateTcpFrame(pcap, f.index, (s) => ({ ...s, ack: seqAdd(s.ack, 1000) })),
    frame: f.index,
    what: `frame ${f.index}: SYN-ACK ack ${f.segment.ack} -> ${seqAdd(f.segment.ack, 1000)}`,
  };
}

/**
 * The first bare ACK that the sender of the first FIN sends after that FIN now carries 4 bytes of data, at the
 * sequence number after the FIN (RFC 9293 3.10.2: no SEND after CLOSE).
 */
export function dataAfterFin(pcap: Uint8Array): Mutation {
  const frames = tcpFrames(pcap);
  const fin = find(frames, 'FIN', (x) => (x.segment.flags & FIN) !== 0);
  const f = find(
    frames,
    `bare ACK from the FIN's sender after frame ${fin.index}`,
    (x) => sameDirection(x, fin) && ONLY_ACK(x.segment),
    fin.index,
  );
  return {
    pcap: mutateTcpFrame(pcap, f.index, (s) => ({ ...s, payload: new TextEncoder().encode('oops') })),
    frame: f.index,
    what: `frame ${f.index}: 4 bytes of data at seq ${f.segment.seq}, after the FIN of frame ${fin.index}`,
  };
}

/** The first RST's sequence number moves 2^30 ahead, far outside any window (RFC 9293 3.10.7.4, RFC 5961 3). */
export function rstOutOfWindow(pcap: Uint8Array): Mutation {
  const f = find(tcpFrames(pcap), 'RST', (x) => (x.segment.flags & RST) !== 0);
  const seq = seqAdd(f.segment.seq, 0x40000000);
  return {
    pcap: mutateTcpFrame(pcap, f.index, (s) => ({ ...s, seq })),
    frame: f.index,
    what: `frame ${f.index}: RST seq ${f.segment.seq} -> ${seq}`,
  };
}

/**
 * The first bare ACK answering the first data segment acknowledges 100000 bytes more than were sent
 * (RFC 9293 3.10.7.4: SEG.ACK > SND.NXT).
 */
export function ackOfUnsent(pcap: Uint8Array): Mutation {
  const frames = tcpFrames(pcap);
  const data = find(frames, 'data segment', (x) => x.segment.payload.length > 0);
  const f = find(
    frames,
    `bare ACK answering frame ${data.index}`,
    (x) => reverseDirection(x, data) && ONLY_ACK(x.segment),
    data.index,
  );
  const ack = seqAdd(f.segment.ack, 100000);
  return {
    pcap: mutateTcpFrame(pcap, f.index, (s) => ({ ...s, ack })),
    frame: f.index,
    what: `frame ${f.index}: ACK ${f.segment.ack} -> ${ack}`,
  };
}
