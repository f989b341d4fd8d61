// RFC 9293 3.8.6 and 3.10.7.4 "first, check sequence number": a receiver accepts only text inside
// [RCV.NXT, RCV.NXT + RCV.WND); a sender may not send past the right edge it was offered.
import { seqAdd, seqGt, seqInRange } from '../../wire/seq.js';
import { SYN } from '../../wire/segment.js';
import { has } from '../packet-facts.js';
import type { PacketRule } from './types.js';

/**
 * seq-out-of-window: data past the right edge of the window the receiver offered (RCV.NXT + RCV.WND,
 * window scale from the SYN options applied, RFC 7323 2.3), or a new SYN whose sequence number is
 * outside the window of a synchronized receiver (RFC 9293 3.10.7.4, RFC 5961 4). Retransmissions of
 * old data are fine (they are what the receiver acknowledges as duplicates), and a one-byte
 * zero-window probe may go one byte past the edge (RFC 9293 3.8.6.1).
 */
export const seqOutOfWindow: PacketRule = {
  id: 'seq-out-of-window',
  check({ packet, sender, receiver, receiverRightEdge }) {
    if (receiverRightEdge === undefined) return undefined;
    const seg = packet.segment;
    if (has(packet, SYN)) {
      const isRetransmission = sender.iss === undefined || seg.seq === sender.iss;
      const lo = receiver.rcvNxt ?? receiver.lastAck;
      if (isRetransmission || lo === undefined || receiver.lastAck === undefined) return undefined;
      if (seqInRange(seg.seq, lo, receiverRightEdge)) return undefined;
      return {
        rule: 'seq-out-of-window',
        detail: `new SYN with seq ${seg.seq} (ISN was ${sender.iss}) outside ${receiver.name}'s window [${lo}, ${receiverRightEdge})`,
      };
    }
    if (packet.payloadLength === 0) return undefined;
    const end = seqAdd(seg.seq, packet.payloadLength);
    const allowed = packet.payloadLength === 1 ? seqAdd(receiverRightEdge, 1) : receiverRightEdge;
    if (!seqGt(end, allowed)) return undefined;
    return {
      rule: 'seq-out-of-window',
      detail: `data ${seg.seq}..${end} goes ${end - receiverRightEdge >>> 0} bytes past the window ${receiver.name} offered (right edge ${receiverRightEdge})`,
    };
  },
};
