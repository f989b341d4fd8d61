// The acknowledgment field (RFC 9293 3.4, 3.10.7.4 "fifth, check the ACK field").
import { ACK, RST, SYN } from '../../wire/segment.js';
import { seqGt } from '../../wire/seq.js';
import { has } from '../packet-facts.js';
import type { PacketRule } from './types.js';

/**
 * ack-of-unsent: acknowledges sequence numbers the other side never sent (SEG.ACK > SND.NXT).
 * RFC 9293 3.10.7.4 fifth: "If the ACK acks something not yet sent ... send an ACK, drop the
 * segment"; Linux tcp_ack drops it silently (TCP_ACK_UNSENT_DATA). A SYN-ACK's ACK is judged by
 * synack-wrong-ack instead, a RST's by the rst-* rules.
 */
export const ackOfUnsent: PacketRule = {
  id: 'ack-of-unsent',
  check({ packet, receiver }) {
    // A RST is judged before its ACK field is looked at (3.10.7.4 second); see the rst-* rules.
    if (!has(packet, ACK) || has(packet, SYN) || has(packet, RST) || receiver.sndMax === undefined) return undefined;
    if (!seqGt(packet.segment.ack, receiver.sndMax)) return undefined;
    return {
      rule: 'ack-of-unsent',
      detail: `acknowledges ${packet.segment.ack}, but ${receiver.name} has sent only up to ${receiver.sndMax} (SND.NXT)`,
    };
  },
};

/**
 * missing-ack-flag: after the handshake every segment but a RST carries ACK (RFC 9293 3.10.7.4
 * fifth: "if the ACK bit is off, drop the segment"). Raised for a segment without
 * SYN, RST or ACK from an endpoint that has already acknowledged its peer's SYN.
 */
export const missingAckFlag: PacketRule = {
  id: 'missing-ack-flag',
  check({ packet, sender, midstream }) {
    if (packet.segment.flags & (SYN | RST | ACK)) return undefined;
    if (sender.lastAck === undefined && !midstream) return undefined;
    const what = packet.payloadLength > 0 ? `${packet.payloadLength} bytes of data` : 'segment';
    return { rule: 'missing-ack-flag', detail: `${what} without the ACK flag after the handshake (the receiver drops it)` };
  },
};
