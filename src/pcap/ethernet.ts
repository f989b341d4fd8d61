// Ethernet II framing for written captures: made-up but deterministic MAC addresses, no FCS.
import { parseAddress } from '../wire/address.js';
import { encodePacket } from '../wire/ip-codec.js';
import type { Packet } from '../wire/segment.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from './link-layer.js';

/**
 * A locally administered unicast MAC (IEEE 802 "U/L" bit set, group bit clear) for an IP address:
 * 02:00 then the IPv4 address, or the last 4 bytes of an IPv6 address. Throws AddressError for a bad address.
 */
export function macFor(address: string): Uint8Array {
  const ip = parseAddress(address);
  const mac = new Uint8Array(6);
  mac[0] = 0x02;
  mac.set(ip.subarray(ip.length - 4), 2);
  return mac;
}

/** The Ethernet frame carrying `packet`: dst MAC, src MAC, ethertype, then the IP datagram from src/wire. */
export function ethernetFrame(packet: Packet, ipId: number): Uint8Array {
  const ip = encodePacket(packet, ipId);
  const frame = new Uint8Array(14 + ip.length);
  frame.set(macFor(packet.dst), 0);
  frame.set(macFor(packet.src), 6);
  const type = (ip[0] as number) >>> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
  frame[12] = type >>> 8;
  frame[13] = type & 0xff;
  frame.set(ip, 14);
  return frame;
}
