// Small facts about an observed packet. Lengths come from payloadLength, never from the payload
// bytes, which a capture may have cut short (snaplen).
import { ACK, FIN, RST, SYN, flagNames } from '../wire/segment.js';
import { seqAdd, type Seq } from '../wire/seq.js';
import type { ObservedPacket } from './types.js';

export function has(p: ObservedPacket, flag: number): boolean {
  return (p.segment.flags & flag) !== 0;
}

/** SEG.LEN (RFC 9293 3.4): payload octets, plus one each for SYN and FIN. */
export function seqLen(p: ObservedPacket): number {
  return p.payloadLength + (has(p, SYN) ? 1 : 0) + (has(p, FIN) ? 1 : 0);
}

/** SEG.SEQ + SEG.LEN: one past the last sequence number the packet occupies. */
export function seqEnd(p: ObservedPacket): Seq {
  return seqAdd(p.segment.seq, seqLen(p));
}

/** Where the FIN sits in sequence space (after the payload; after the SYN if both). */
export function finSeqOf(p: ObservedPacket): Seq {
  return seqAdd(p.segment.seq, p.payloadLength + (has(p, SYN) ? 1 : 0));
}

/** Only SYN among SYN, ACK, RST, FIN: a connection request. */
export function isPureSyn(p: ObservedPacket): boolean {
  return (p.segment.flags & (SYN | ACK | RST | FIN)) === SYN;
}

export function isSynAck(p: ObservedPacket): boolean {
  return (p.segment.flags & (SYN | ACK | RST)) === (SYN | ACK);
}

/** An ACK with nothing else: no payload, no SYN, FIN or RST. */
export function isPureAck(p: ObservedPacket): boolean {
  return (p.segment.flags & (SYN | ACK | RST | FIN)) === ACK && p.payloadLength === 0;
}

/** The window the packet announces, in bytes, with `shift` applied (never to a SYN, RFC 7323 2.2). */
export function scaledWindow(p: ObservedPacket, shift: number): number {
  return has(p, SYN) ? p.segment.window : p.segment.window * 2 ** shift;
}

/** "[SYN,ACK] seq 100 ack 200 len 5" for violation details. */
export function describePacket(p: ObservedPacket): string {
  const s = p.segment;
  const parts = [`[${flagNames(s.flags).join(',')}]`, `seq ${s.seq}`];
  if (s.flags & ACK) parts.push(`ack ${s.ack}`);
  parts.push(`len ${p.payloadLength}`);
  return parts.join(' ');
}
