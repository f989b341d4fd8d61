// What a packet says about its sender, for certain (a capture shows what was sent): its ISN, how far
// its sequence numbers got, its FIN, the acknowledgments and windows it announced.
import { ACK, FIN, RST, SYN } from '../wire/segment.js';
import { seqAdd, seqGt, seqMax, type Seq } from '../wire/seq.js';
import type { EndpointModel } from './endpoint.js';
import { finSeqOf, has, isPureAck, scaledWindow, seqEnd, seqLen } from './packet-facts.js';
import type { ObservedPacket } from './types.js';
import { windowShift } from './window-scale.js';

/**
 * The packet's ACK number as evidence: an acknowledgment of more than the peer has sent proves
 * nothing beyond what it did send (the packet is flagged ack-of-unsent by the rules).
 */
export function credibleAck(p: ObservedPacket, peer: EndpointModel): Seq | undefined {
  if (!has(p, ACK)) return undefined;
  const sent = peer.sndMax;
  return sent !== undefined && seqGt(p.segment.ack, sent) ? sent : p.segment.ack;
}

/** Records packet `p` (connection index `index`) as sent by `m`. */
export function recordSent(m: EndpointModel, peer: EndpointModel, p: ObservedPacket, index: number): void {
  const s = p.segment;
  m.lastSentIndex = index;
  m.lastSentTime = p.t;
  if (has(p, RST)) return;
  // A SYN with another ISN on a live connection (a restarted peer) says nothing about this one.
  if (has(p, SYN) && m.iss !== undefined && s.seq !== m.iss) return;
  if (has(p, SYN)) {
    m.iss ??= s.seq;
    m.sentSyn = true;
    m.synTimes.push(p.t);
    const ws = s.options.find((o) => o.kind === 'windowScale');
    m.wscaleOffered = ws && ws.kind === 'windowScale' ? Math.min(ws.shift, 14) : undefined; // RFC 7323 2.3: at most 14
    if (!has(p, ACK)) {
      m.synWindow = s.window;
      m.synDataLength = p.payloadLength;
    }
  }
  // Only segments that occupy sequence space move SND.MAX (a pure ACK sits at SND.NXT).
  if (m.sndMax === undefined) m.sndMax = seqEnd(p);
  else if (seqLen(p) > 0) m.sndMax = seqMax(m.sndMax, seqEnd(p));
  if (has(p, FIN)) m.finSeq ??= finSeqOf(p);
  if (!has(p, ACK)) return;
  if (credibleAck(p, peer) !== s.ack) return; // acknowledges unsent data: says nothing of RCV.NXT
  m.lastAck = m.lastAck === undefined ? s.ack : seqMax(m.lastAck, s.ack);
  m.lastAckIndex = index;
  m.acksSent.add(s.ack);
  if (m.rcvNxt !== undefined) m.rcvNxt = seqMax(m.rcvNxt, s.ack);
  const shift = has(p, SYN) ? 0 : windowShift(m, peer);
  if (shift !== undefined) {
    const edge = seqAdd(s.ack, scaledWindow(p, shift));
    m.rightEdge = m.rightEdge === undefined ? edge : seqMax(m.rightEdge, edge);
  }
  if (isPureAck(p)) m.lastPureAckTime = p.t;
}
