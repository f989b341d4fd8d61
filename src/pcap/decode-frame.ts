// One captured frame to a Packet: link layer, then IP, then TCP or UDP, lenient the way real captures need
// (cut by the snapshot length, checksums wrong from offload). Anything else is 'skipped' with a reason.
import type { Packet } from '../wire/segment.js';
import { parseIp, protocolName } from './ip-lenient.js';
import { stripLinkLayer } from './link-layer.js';
import { parseTransport } from './transport-lenient.js';
import type { CapturedFrame } from './types.js';

export type DecodedFrame =
  | {
      kind: 'packet';
      /** The packet as captured: a cut payload holds only the captured bytes. */
      packet: Packet;
      /** The true payload length per the IP (and UDP) length fields. */
      payloadLength: number;
      /** True when the snapshot length cut the payload. */
      truncated: boolean;
      /** 'bad' if the IPv4 header or transport checksum is wrong; 'unchecked' when cut or UDP without one. */
      checksum: 'ok' | 'bad' | 'unchecked';
    }
  | { kind: 'skipped'; reason: string };

export function decodeFrame(frame: CapturedFrame): DecodedFrame {
  const skipped = (reason: string): DecodedFrame => ({ kind: 'skipped', reason });
  const link = stripLinkLayer(frame.data, frame.linkType);
  if (typeof link === 'string') return skipped(link);
  const wire = Math.max(frame.origLen, frame.data.length) - link.offset;
  const ip = parseIp(frame.data.subarray(link.offset), wire, link.version);
  if (typeof ip === 'string') return skipped(ip);
  const transport = parseTransport(ip);
  if (transport === undefined) return skipped(`IP protocol ${protocolName(ip.protocol)} is neither TCP nor UDP`);
  if (typeof transport === 'string') return skipped(transport);
  return { kind: 'packet', ...transport };
}
