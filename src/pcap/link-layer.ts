// Link-layer headers in front of the IP packet, per link type (https://www.tcpdump.org/linktypes.html).
import { readU16 } from '../wire/bytes.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from './types.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q customer tag, 802.1ad service tag, and the pre-standard QinQ tag. */
const VLAN_TAGS = new Set([0x8100, 0x88a8, 0x9100]);

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP',
  0x8035: 'RARP',
  0x809b: 'AppleTalk',
  0x8847: 'MPLS',
  0x8848: 'MPLS multicast',
  0x8863: 'PPPoE discovery',
  0x8864: 'PPPoE session',
  0x888e: 'EAPOL',
  0x88cc: 'LLDP',
  0x88f7: 'PTP',
  0x8906: 'FCoE',
};

/** Where the IP packet starts, and the IP version the link header announces (undefined: read the nibble). */
export interface LinkPayload {
  offset: number;
  version: 4 | 6 | undefined;
}

function byEthertype(type: number, offset: number, what: string): LinkPayload | string {
  if (type === ETHERTYPE_IPV4) return { offset, version: 4 };
  if (type === ETHERTYPE_IPV6) return { offset, version: 6 };
  const name = ETHERTYPE_NAMES[type];
  return `${what} 0x${type.toString(16).padStart(4, '0')}${name ? ` (${name})` : ''} is neither IPv4 nor IPv6`;
}

function cutShort(what: string, have: number, need: number): string {
  return `${what} cut short: ${have} of its ${need} bytes captured`;
}

/** Ethernet II (IEEE 802.3 with an ethertype), with any number of VLAN tags. */
function ethernet(data: Uint8Array): LinkPayload | string {
  if (data.length < 14) return cutShort('Ethernet header', data.length, 14);
  let at = 12;
  let type = readU16(data, at);
  while (VLAN_TAGS.has(type)) {
    if (data.length < at + 6) return cutShort('VLAN-tagged Ethernet header', data.length, at + 6);
    at += 4;
    type = readU16(data, at);
  }
  // Values up to 1500 are an 802.3 length with an LLC header following; 1501..1535 are undefined.
  if (type < 0x0600) return `802.3 frame with length field ${type} (LLC, not Ethernet II) carries no IP`;
  return byEthertype(type, at + 2, 'ethertype');
}

/** BSD loopback: a 4-byte address family. AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 by OS. */
function loopback(data: Uint8Array, hostOrder: boolean): LinkPayload | string {
  if (data.length < 4) return cutShort('loopback header', data.length, 4);
  const view = new DataView(data.buffer, data.byteOffset, 4);
  const families = hostOrder ? [view.getUint32(0, false), view.getUint32(0, true)] : [view.getUint32(0, false)];
  if (families.includes(2)) return { offset: 4, version: 4 };
  if (families.some((f) => f === 24 || f === 28 || f === 30)) return { offset: 4, version: 6 };
  return `loopback address family ${families[0]} is neither AF_INET nor AF_INET6`;
}

/** Strips the link-layer header of `data` for `linkType`; returns where IP starts or why it cannot. */
export function stripLinkLayer(data: Uint8Array, linkType: number): LinkPayload | string {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return ethernet(data);
    case LINKTYPE_LINUX_SLL:
      // Packet type, ARPHRD type, address length, 8 address bytes, protocol (an ethertype) at 14.
      if (data.length < 16) return cutShort('Linux cooked (SLL) header', data.length, 16);
      return byEthertype(readU16(data, 14), 16, 'Linux cooked protocol');
    case LINKTYPE_LINUX_SLL2:
      // Protocol at 0, then reserved, interface index, ARPHRD type, packet type, address length, address.
      if (data.length < 20) return cutShort('Linux cooked v2 (SLL2) header', data.length, 20);
      return byEthertype(readU16(data, 0), 20, 'Linux cooked v2 protocol');
    case LINKTYPE_NULL:
      return loopback(data, true);
    case LINKTYPE_LOOP:
      return loopback(data, false);
    case LINKTYPE_RAW:
      return { offset: 0, version: undefined };
    case LINKTYPE_IPV4:
      return { offset: 0, version: 4 };
    case LINKTYPE_IPV6:
      return { offset: 0, version: 6 };
    default:
      return `link type ${linkType} is not decoded (see https://www.tcpdump.org/linktypes.html)`;
  }
}
