// What the readers yield: one captured frame with its link type and timestamp, read from a ByteSource.

/** Link-layer header types this layer decodes (numbers from https://www.tcpdump.org/linktypes.html). */
export type LinkTypeName = 'ethernet' | 'linux-sll' | 'linux-sll2' | 'raw' | 'raw-ipv4' | 'raw-ipv6' | 'null' | 'loop';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const LINK_TYPE_NAMES: Record<number, LinkTypeName> = {
  [LINKTYPE_NULL]: 'null',
  [LINKTYPE_ETHERNET]: 'ethernet',
  [LINKTYPE_RAW]: 'raw',
  [LINKTYPE_LOOP]: 'loop',
  [LINKTYPE_LINUX_SLL]: 'linux-sll',
  [LINKTYPE_IPV4]: 'raw-ipv4',
  [LINKTYPE_IPV6]: 'raw-ipv6',
  [LINKTYPE_LINUX_SLL2]: 'linux-sll2',
};

/** The name of a LINKTYPE_* number this layer decodes, or undefined. */
export function linkTypeName(linkType: number): LinkTypeName | undefined {
  return LINK_TYPE_NAMES[linkType];
}

export interface CapturedFrame {
  /** 1-based frame number, as Wireshark's frame.number. */
  index: number;
  /** Absolute timestamp: seconds since the epoch plus nanoseconds (0..999999999). */
  sec: number;
  nsec: number;
  /** LINKTYPE_* number of the interface the frame was captured on. */
  linkType: number;
  /** The captured bytes (caplen of them). */
  data: Uint8Array;
  /** Length of the frame on the wire; more than data.length when the snapshot length cut it. */
  origLen: number;
}

/** Random access to the bytes of a capture. `read` may return fewer bytes than asked for at the end. */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Uint8Array;
}

/** A ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(offset, length) {
      const start = Math.min(Math.max(0, offset), bytes.length);
      return bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, length)));
    },
  };
}
