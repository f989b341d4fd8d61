// A closed endpoint answers every segment but a RST with a RST (RFC 9293 3.10.7.1).
import { RST } from '../../wire/segment.js';
import { has } from '../packet-facts.js';
import type { ObservedPacket } from '../types.js';
import type { Finding } from './types.js';

/**
 * How many segments must go unanswered before the RST counts as missing. A capture taken at the
 * sender shows segments that were lost on the way; one unanswered segment may simply not have
 * arrived, three in a row (a peer retransmitting into silence) did.
 */
export const MIN_UNANSWERED = 3;

/**
 * missing-rst: after `closed` reached CLOSED by a RST or by the last ACK of LAST_ACK (packet index
 * `closedFrom`), its peer kept sending it segments other than RSTs and no RST came back. RFC 9293
 * 3.10.7.1: "An incoming segment not containing a RST causes a RST to be sent in response" (Linux
 * tcp_v4_send_reset). `exempt` names segments that may themselves have been what closed it (a
 * duplicate of the last ACK). Reported once, against the first unanswered segment.
 */
export function missingRst(
  packets: readonly ObservedPacket[],
  senders: readonly string[],
  closed: string,
  closedFrom: number,
  exempt: (p: ObservedPacket) => boolean = () => false,
): { packet: ObservedPacket; finding: Finding } | undefined {
  let unanswered: ObservedPacket[] = [];
  for (let i = closedFrom + 1; i < packets.length; i++) {
    const p = packets[i]!;
    if (senders[i] === closed) {
      if (has(p, RST)) unanswered = [];
      continue;
    }
    if (!has(p, RST) && !exempt(p)) unanswered.push(p);
  }
  if (unanswered.length < MIN_UNANSWERED) return undefined;
  const first = unanswered[0]!;
  return {
    packet: first,
    finding: {
      rule: 'missing-rst',
      detail: `${unanswered.length} segments to ${closed} after it closed (frames ${first.frame} to ${unanswered[unanswered.length - 1]!.frame}), and no RST came back`,
    },
  };
}
