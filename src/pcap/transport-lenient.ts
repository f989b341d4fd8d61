// TCP (RFC 9293 3.1) and UDP (RFC 768) headers as captured: cut payloads are kept as far as captured, wrong
// checksums are reported rather than thrown, and a header that lies about its length gives a reason.
import { readU16, readU32 } from '../wire/bytes.js';
import { transportChecksum } from '../wire/checksum.js';
import { decodeOptions } from '../wire/options.js';
import type { Packet, TcpOption } from '../wire/segment.js';
import { copyBytes } from './cursor.js';
import type { IpView } from './ip-lenient.js';

export interface TransportResult {
  packet: Packet;
  payloadLength: number;
  truncated: boolean;
  checksum: 'ok' | 'bad' | 'unchecked';
}

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** Bad IPv4 header checksum wins; a cut packet cannot be checked; otherwise the transport checksum decides. */
function verdict(ip: IpView, truncated: boolean, transportOk: () => boolean | undefined): TransportResult['checksum'] {
  if (ip.headerChecksumOk === false) return 'bad';
  if (truncated) return 'unchecked';
  const ok = transportOk();
  return ok === undefined ? 'unchecked' : ok ? 'ok' : 'bad';
}

function cutOrPast(what: string, need: number, ip: IpView): string {
  return need <= ip.transportLength
    ? `${what} cut short by the snapshot length: ${ip.transport.length} of ${need} bytes captured`
    : `${what} needs ${need} bytes, but the IP header gives the segment only ${ip.transportLength}`;
}

export function parseTcp(ip: IpView): TransportResult | string {
  const t = ip.transport;
  if (ip.transportLength < 20 || t.length < 20) return cutOrPast('TCP header', 20, ip);
  const dataOffset = (t[12] as number) >>> 4;
  if (dataOffset < 5) return `TCP data offset ${dataOffset} is below the minimum of 5 words`;
  const headerLength = dataOffset * 4;
  if (headerLength > ip.transportLength || headerLength > t.length) {
    return cutOrPast(`TCP header with options (data offset ${dataOffset})`, headerLength, ip);
  }
  let options: TcpOption[];
  try {
    options = decodeOptions(t.subarray(20, headerLength));
  } catch (e) {
    return `malformed TCP options: ${(e as Error).message}`;
  }
  const truncated = t.length < ip.transportLength;
  const segment = {
    srcPort: readU16(t, 0),
    dstPort: readU16(t, 2),
    seq: readU32(t, 4),
    ack: readU32(t, 8),
    flags: t[13] as number,
    window: readU16(t, 14),
    urgentPointer: readU16(t, 18),
    options,
    payload: copyBytes(t.subarray(headerLength)),
  };
  return {
    packet: { proto: 'tcp', src: ip.src, dst: ip.dst, ttl: ip.ttl, segment },
    payloadLength: ip.transportLength - headerLength,
    truncated,
    checksum: verdict(ip, truncated, () => transportChecksum(ip.srcBytes, ip.dstBytes, IPPROTO_TCP, t) === 0),
  };
}

export function parseUdp(ip: IpView): TransportResult | string {
  const t = ip.transport;
  if (ip.transportLength < 8 || t.length < 8) return cutOrPast('UDP header', 8, ip);
  const length = readU16(t, 4);
  if (length < 8) return `UDP length ${length} is below the 8-byte header`;
  if (length > ip.transportLength) return `UDP length ${length} runs past the ${ip.transportLength}-byte IP payload`;
  const truncated = t.length < length;
  const stored = readU16(t, 6);
  return {
    packet: {
      proto: 'udp',
      src: ip.src,
      dst: ip.dst,
      ttl: ip.ttl,
      datagram: { srcPort: readU16(t, 0), dstPort: readU16(t, 2), payload: copyBytes(t.subarray(8, Math.min(length, t.length))) },
    },
    payloadLength: length - 8,
    truncated,
    // A zero checksum means "none" over IPv4 (RFC 768) and is an error over IPv6 (RFC 8200 8.1).
    checksum: verdict(ip, truncated, () =>
      stored === 0 ? (ip.version === 4 ? undefined : false) : transportChecksum(ip.srcBytes, ip.dstBytes, IPPROTO_UDP, t.subarray(0, length)) === 0,
    ),
  };
}

export function parseTransport(ip: IpView): TransportResult | string | undefined {
  if (ip.protocol === IPPROTO_TCP) return parseTcp(ip);
  if (ip.protocol === IPPROTO_UDP) return parseUdp(ip);
  return undefined;
}
