// Capture files and packets built by hand for the reader tests, with DataView and the field layouts written out
// here (not with the writers under test): pcap (draft-ietf-opsawg-pcap), pcapng (draft-ietf-opsawg-pcapng),
// link headers (tcpdump.org/linktypes.html), IPv4/IPv6/TCP/UDP with checksums from the reference in test/wire.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../../src/pcap/types.js';
import { concatBytes } from '../../src/wire/bytes.js';
import { refChecksum } from '../wire/helpers.js';

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

function u16be(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}
function u32be(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export interface PcapRecordSpec {
  sec: number;
  frac: number;
  data: Uint8Array;
  /** Defaults to data.length. */
  origLen?: number;
  /** Defaults to data.length (set it to lie). */
  caplen?: number;
}

export interface PcapFileSpec {
  littleEndian?: boolean;
  nanos?: boolean;
  snaplen?: number;
  linkType?: number;
  versionMajor?: number;
}

export function pcapHeader(spec: PcapFileSpec = {}): Uint8Array {
  const le = spec.littleEndian ?? true;
  const out = new Uint8Array(24);
  const v = new DataView(out.buffer);
  v.setUint32(0, spec.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  v.setUint16(4, spec.versionMajor ?? 2, le);
  v.setUint16(6, 4, le);
  v.setUint32(16, spec.snaplen ?? 65535, le);
  v.setUint32(20, spec.linkType ?? 1, le);
  return out;
}

export function pcapRecord(r: PcapRecordSpec, littleEndian = true): Uint8Array {
  const out = new Uint8Array(16 + r.data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, r.sec, littleEndian);
  v.setUint32(4, r.frac, littleEndian);
  v.setUint32(8, r.caplen ?? r.data.length, littleEndian);
  v.setUint32(12, r.origLen ?? r.data.length, littleEndian);
  out.set(r.data, 16);
  return out;
}

export function pcapFile(spec: PcapFileSpec, records: PcapRecordSpec[]): Uint8Array {
  return concat(pcapHeader(spec), ...records.map((r) => pcapRecord(r, spec.littleEndian ?? true)));
}

/** pcapng built block by block; `shb` starts a section and sets the byte order of what follows. */
export class PcapngBuilder {
  private parts: Uint8Array[] = [];
  private le = true;

  block(type: number, body: Uint8Array, lengthOverride?: { total?: number; trailing?: number }): this {
    const padded = (body.length + 3) & ~3;
    const total = 12 + padded;
    const out = new Uint8Array(total);
    const v = new DataView(out.buffer);
    v.setUint32(0, type, this.le);
    v.setUint32(4, lengthOverride?.total ?? total, this.le);
    out.set(body, 8);
    v.setUint32(total - 4, lengthOverride?.trailing ?? total, this.le);
    this.parts.push(out);
    return this;
  }

  options(list: Array<[number, Uint8Array]>): Uint8Array {
    const parts: Uint8Array[] = [];
    for (const [code, value] of list) {
      const o = new Uint8Array(4 + ((value.length + 3) & ~3));
      const v = new DataView(o.buffer);
      v.setUint16(0, code, this.le);
      v.setUint16(2, value.length, this.le);
      o.set(value, 4);
      parts.push(o);
    }
    return list.length ? concat(...parts, new Uint8Array(4)) : new Uint8Array(0);
  }

  shb(littleEndian = true, opts: Array<[number, Uint8Array]> = [], sectionLength = -1n): this {
    this.le = littleEndian;
    const body = new Uint8Array(16);
    const v = new DataView(body.buffer);
    v.setUint32(0, 0x1a2b3c4d, this.le);
    v.setUint16(4, 1, this.le);
    v.setUint16(6, 0, this.le);
    v.setBigInt64(8, sectionLength, this.le);
    return this.block(0x0a0d0d0a, concat(body, this.options(opts)));
  }

  idb(linkType: number, snaplen: number, opts: Array<[number, Uint8Array]> = []): this {
    const body = new Uint8Array(8);
    const v = new DataView(body.buffer);
    v.setUint16(0, linkType, this.le);
    v.setUint32(4, snaplen, this.le);
    return this.block(1, concat(body, this.options(opts)));
  }

  epb(iface: number, units: bigint, data: Uint8Array, origLen = data.length, opts: Array<[number, Uint8Array]> = []): this {
    const head = new Uint8Array(20);
    const v = new DataView(head.buffer);
    v.setUint32(0, iface, this.le);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    v.setUint32(12, data.length, this.le);
    v.setUint32(16, origLen, this.le);
    const padded = new Uint8Array((data.length + 3) & ~3);
    padded.set(data);
    return this.block(6, concat(head, padded, this.options(opts)));
  }

  spb(origLen: number, data: Uint8Array): this {
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, origLen, this.le);
    return this.block(3, concat(head, data));
  }

  /** The obsolete Packet Block (appendix A): 16-bit interface id and drops count. */
  pb(iface: number, units: bigint, data: Uint8Array): this {
    const head = new Uint8Array(20);
    const v = new DataView(head.buffer);
    v.setUint16(0, iface, this.le);
    v.setUint32(4, Number(units >> 32n), this.le);
    v.setUint32(8, Number(units & 0xffffffffn), this.le);
    v.setUint32(12, data.length, this.le);
    v.setUint32(16, data.length, this.le);
    return this.block(2, concat(head, data));
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  bytes(): Uint8Array {
    return concat(...this.parts);
  }
}

export function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

export interface TcpSpec {
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  /** Raw option bytes, a multiple of 4 long. */
  options?: number[];
  payload?: Uint8Array;
  /** Store a wrong checksum. */
  badChecksum?: boolean;
  /** Override the data offset field (words). */
  dataOffset?: number;
}

/** A TCP segment with its checksum over the pseudo-header `pseudo` (addresses, zero, proto, length). */
export function tcpBytes(spec: TcpSpec, pseudoOf: (length: number) => Uint8Array): Uint8Array {
  const opts = spec.options ?? [];
  const payload = spec.payload ?? new Uint8Array(0);
  const hdr = [
    ...u16be(spec.srcPort ?? 1234),
    ...u16be(spec.dstPort ?? 80),
    ...u32be(spec.seq ?? 1000),
    ...u32be(spec.ack ?? 0),
    (spec.dataOffset ?? 5 + opts.length / 4) << 4,
    spec.flags ?? 0x02,
    ...u16be(spec.window ?? 65535),
    0,
    0,
    0,
    0,
    ...opts,
  ];
  const seg = concat(Uint8Array.from(hdr), payload);
  const sum = refChecksum(pseudoOf(seg.length), seg);
  seg[16] = (sum >>> 8) ^ (spec.badChecksum ? 0xff : 0);
  seg[17] = sum & 0xff;
  return seg;
}

export function udpBytes(srcPort: number, dstPort: number, payload: Uint8Array, pseudoOf: (length: number) => Uint8Array): Uint8Array {
  const seg = concat(Uint8Array.from([...u16be(srcPort), ...u16be(dstPort), ...u16be(8 + payload.length), 0, 0]), payload);
  const sum = refChecksum(pseudoOf(seg.length), seg) || 0xffff;
  seg[6] = sum >>> 8;
  seg[7] = sum & 0xff;
  return seg;
}

export interface Ipv4Spec {
  src?: string;
  dst?: string;
  proto?: number;
  ttl?: number;
  /** Raw IP option bytes, a multiple of 4 long. */
  ipOptions?: number[];
  /** Override the total length field. */
  totalLength?: number;
  /** Override the IHL field. */
  ihl?: number;
  fragment?: number;
}

/** An IPv4 packet around `payload`, header checksum computed here; the transport is built by `inner`. */
export function ipv4Packet(spec: Ipv4Spec, inner: (pseudoOf: (length: number) => Uint8Array) => Uint8Array): Uint8Array {
  const src = ipv4Bytes(spec.src ?? '192.0.2.1');
  const dst = ipv4Bytes(spec.dst ?? '192.0.2.2');
  const proto = spec.proto ?? 6;
  const body = inner((length) => Uint8Array.from([...src, ...dst, 0, proto, ...u16be(length)]));
  const opts = spec.ipOptions ?? [];
  const hl = 20 + opts.length;
  const header = Uint8Array.from([
    0x40 | (spec.ihl ?? hl / 4),
    0,
    ...u16be(spec.totalLength ?? hl + body.length),
    0x12,
    0x34,
    ...u16be(spec.fragment ?? 0x4000),
    spec.ttl ?? 64,
    proto,
    0,
    0,
    ...src,
    ...dst,
    ...opts,
  ]);
  const sum = refChecksum(header);
  header[10] = sum >>> 8;
  header[11] = sum & 0xff;
  return concat(header, body);
}

/** 16 bytes of an IPv6 address written fully, e.g. "2001:0db8:0000:0000:0000:0000:0000:0001". */
export function ipv6Bytes(full: string): number[] {
  return full.split(':').flatMap((g) => u16be(parseInt(g, 16)));
}

export function ipv6Packet(
  spec: { src?: string; dst?: string; next?: number; hopLimit?: number; extensions?: number[]; payloadLength?: number },
  inner: (pseudoOf: (length: number) => Uint8Array) => Uint8Array,
): Uint8Array {
  const src = ipv6Bytes(spec.src ?? '2001:0db8:0000:0000:0000:0000:0000:0001');
  const dst = ipv6Bytes(spec.dst ?? '2001:0db8:0000:0000:0000:0000:0000:0002');
  const transportProto = 6;
  const body = inner((length) => Uint8Array.from([...src, ...dst, ...u32be(length), 0, 0, 0, transportProto]));
  const ext = spec.extensions ?? [];
  const payloadLength = spec.payloadLength ?? ext.length + body.length;
  const header = Uint8Array.from([0x60, 0, 0, 0, ...u16be(payloadLength), spec.next ?? 6, spec.hopLimit ?? 64, ...src, ...dst, ...ext]);
  return concat(header, body);
}

export function ethernet(type: number, payload: Uint8Array, vlanTags: number[] = []): Uint8Array {
  const head = [0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1];
  for (const tag of vlanTags) head.push(0x81, 0x00, ...u16be(tag));
  head.push(...u16be(type));
  return concat(Uint8Array.from(head), payload);
}

export const MICRO_PAYLOAD = new TextEncoder().encode('hello, capture');

/** A ByteSource over a file opened with fs, recording the size of every read. */
export function fileSource(path: string): { source: ByteSource; reads: number[]; close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  const reads: number[] = [];
  return {
    reads,
    close: () => closeSync(fd),
    source: {
      size,
      read(offset, length) {
        reads.push(length);
        const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const n = buf.length > 0 ? readSync(fd, buf, 0, buf.length, offset) : 0;
        return buf.subarray(0, n);
      },
    },
  };
}
