// The reply to a segment that reaches no connection (RFC 9293 3.10.7.1, Linux tcp_v4_send_reset).
import { ACK, RST, SYN, FIN, segLen, type Segment } from '../wire/segment.js';
import { seqAdd } from '../wire/seq.js';

/**
 * If the segment has ACK: <SEQ=SEG.ACK><CTL=RST>. Otherwise <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
 * A RST is never answered. Returns undefined when nothing is sent.
 */
export function resetFor(seg: Segment): Segment | undefined {
  if (seg.flags & RST) return undefined;
  const base = {
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    window: 0,
    urgentPointer: 0,
    options: [],
    payload: new Uint8Array(0),
  };
  if (seg.flags & ACK) return { ...base, seq: seg.ack, ack: 0, flags: RST };
  return { ...base, seq: 0, ack: seqAdd(seg.seq, segLen(seg)), flags: RST | ACK };
}

/** True for segments whose only control bits are SYN (a connection request). */
export function isPureSyn(seg: Segment): boolean {
  return (seg.flags & (SYN | ACK | RST | FIN)) === SYN;
}
