// A small reader/writer for classic pcap files (what `tcpdump -w` writes), used to patch single frames of real
// captures. Independent of src/pcap on purpose: the tests compare the two. Either byte order, microsecond or
// nanosecond timestamps; pcapng is refused with a clear message.
//
// File layout (https://www.tcpdump.org/manpages/pcap-savefile.5.html): a 24-byte header (magic, version 2.4,
// thiszone, sigfigs, snaplen, link type), then per packet a 16-byte record header (seconds, fraction, captured
// length, original length) and the captured bytes.

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_LINUX_SLL2 = 276;

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const PCAPNG = 0x0a0d0d0a;

export interface PcapRecord {
  seconds: number;
  /** Microseconds or nanoseconds, as the file has them. */
  fraction: number;
  /** The length of the packet on the wire (may exceed data.length when the capture was truncated). */
  originalLength: number;
  data: Uint8Array;
}

export interface PcapFile {
  littleEndian: boolean;
  nanoseconds: boolean;
  /** The 24-byte file header, kept as it was. */
  header: Uint8Array;
  linkType: number;
  records: PcapRecord[];
}

export function readPcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < 24) throw new Error(`not a pcap file: ${bytes.length} bytes is shorter than the 24-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = view.getUint32(0, false);
  const le = view.getUint32(0, true);
  if (be === PCAPNG) {
    throw new Error('pcapng files are not supported here (write with tcpdump -w, or convert with editcap -F pcap)');
  }
  let littleEndian: boolean;
  if (le === MAGIC_US || le === MAGIC_NS) littleEndian = true;
  else if (be === MAGIC_US || be === MAGIC_NS) littleEndian = false;
  else throw new Error(`not a pcap file: magic 0x${be.toString(16).padStart(8, '0')}`);
  const magic = view.getUint32(0, littleEndian);
  const linkType = view.getUint32(20, littleEndian) & 0x0fffffff; // the top bits hold FCS information
  const records: PcapRecord[] = [];
  let at = 24;
  while (at < bytes.length) {
    if (at + 16 > bytes.length) throw new Error(`pcap record ${records.length} header is cut off at byte ${at}`);
    const captured = view.getUint32(at + 8, littleEndian);
    if (at + 16 + captured > bytes.length) {
      throw new Error(`pcap record ${records.length} claims ${captured} bytes, only ${bytes.length - at - 16} are left`);
    }
    records.push({
      seconds: view.getUint32(at, littleEndian),
      fraction: view.getUint32(at + 4, littleEndian),
      originalLength: view.getUint32(at + 12, littleEndian),
      data: bytes.slice(at + 16, at + 16 + captured),
    });
    at += 16 + captured;
  }
  return { littleEndian, nanoseconds: magic === MAGIC_NS, header: bytes.slice(0, 24), linkType, records };
}

export function writePcap(file: PcapFile): Uint8Array {
  const size = 24 + file.records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(file.header, 0);
  let at = 24;
  for (const r of file.records) {
    view.setUint32(at, r.seconds, file.littleEndian);
    view.setUint32(at + 4, r.fraction, file.littleEndian);
    view.setUint32(at + 8, r.data.length, file.littleEndian);
    view.setUint32(at + 12, r.originalLength, file.littleEndian);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
}

/**
 * Where the IP packet starts in a frame of `linkType`, or undefined when the frame carries something other than
 * IPv4/IPv6 (ARP, ...). Ethernet frames may have one or more VLAN tags.
 */
export function ipOffset(linkType: number, frame: Uint8Array): number | undefined {
  const u16 = (i: number): number => ((frame[i] ?? 0) << 8) | (frame[i + 1] ?? 0);
  const isIp = (type: number): boolean => type === 0x0800 || type === 0x86dd;
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let at = 12;
      while (u16(at) === 0x8100 || u16(at) === 0x88a8) at += 4;
      return frame.length > at + 2 && isIp(u16(at)) ? at + 2 : undefined;
    }
    case LINKTYPE_LINUX_SLL:
      return frame.length > 16 && isIp(u16(14)) ? 16 : undefined;
    case LINKTYPE_LINUX_SLL2:
      return frame.length > 20 && isIp(u16(0)) ? 20 : undefined;
    case LINKTYPE_RAW:
      return frame.length > 0 ? 0 : undefined;
    case LINKTYPE_NULL: {
      // The address family in the capturing host's byte order: 2 is AF_INET everywhere, AF_INET6 varies.
      const family = Math.max(frame[0] ?? 0, frame[3] ?? 0);
      return frame.length > 4 && [2, 10, 24, 28, 30].includes(family) ? 4 : undefined;
    }
    default:
      throw new Error(`pcap link type ${linkType} is not supported (Ethernet, Linux SLL/SLL2, raw IP and BSD loopback are)`);
  }
}
