// Relative sequence numbers, as Wireshark shows them: each direction of a connection counts from its own
// initial sequence number, so a handshake reads seq=0, then seq=0 ack=1, then seq=1 ack=1.
import type { SegmentEvent, TraceEvent } from '../sim/trace.js';

export interface RelativeNumbers {
  seq: number;
  /** Relative to the other direction's ISN; the raw number when that direction has not been seen. */
  ack: number;
}

interface Conversation {
  /** ISN (or first sequence number seen) per sending endpoint. */
  base: Map<string, number>;
  /** A FIN or RST has been seen: a new SYN starts a new conversation on the same ports. */
  closed: boolean;
}

/** (a - b) modulo 2^32, as an unsigned number (RFC 9293 3.4 sequence space). */
function distance(a: number, b: number): number {
  return (a - b) >>> 0;
}

/**
 * Relative seq/ack for every segment event, keyed by the event object. Connections are told apart by
 * their endpoint pair; a SYN without ACK carrying a new ISN on a pair that has closed (or never got an
 * answer) starts a fresh count, as a reused port does in Wireshark.
 */
export function relativeNumbers(events: readonly TraceEvent[]): Map<SegmentEvent, RelativeNumbers> {
  const conversations = new Map<string, Conversation>();
  const result = new Map<SegmentEvent, RelativeNumbers>();
  for (const ev of events) {
    if (ev.kind !== 'segment') continue;
    // The pair in either direction; what [src, dst].sort().join(' ') gives, without an array per segment.
    const key = ev.src < ev.dst ? `${ev.src} ${ev.dst}` : `${ev.dst} ${ev.src}`;
    let conv = conversations.get(key);
    const ownBase = conv?.base.get(ev.src);
    const isNewSyn = ev.flags.includes('SYN') && !ev.flags.includes('ACK');
    const restart =
      conv !== undefined &&
      isNewSyn &&
      ownBase !== undefined &&
      ownBase !== ev.seq &&
      (conv.closed || !conv.base.has(ev.dst));
    if (conv === undefined || restart) {
      conv = { base: new Map(), closed: false };
      conversations.set(key, conv);
    }
    if (!conv.base.has(ev.src)) conv.base.set(ev.src, ev.seq);
    if (ev.flags.includes('FIN') || ev.flags.includes('RST')) conv.closed = true;
    const seqBase = conv.base.get(ev.src) as number;
    const ackBase = conv.base.get(ev.dst);
    result.set(ev, {
      seq: distance(ev.seq, seqBase),
      ack: ackBase === undefined ? ev.ack : distance(ev.ack, ackBase),
    });
  }
  return result;
}
