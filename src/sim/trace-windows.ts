// Windows as the receiver reads them (for readers of a trace: the diagrams, the window invariant of synack/check): RFC 7323 2.2, the window field of a segment other than a SYN is shifted
// left by the sender's scale, but only when both SYNs carried the option. Wireshark shows the same scaled value.
import type { SegmentEvent, TraceEvent } from './trace.js';

interface Handshake {
  /** Shift announced in each endpoint's SYN (undefined: its SYN carried none). */
  shift: Map<string, number | undefined>;
  /** Each endpoint's ISN, from its SYN: a SYN again with the same ISN is a retransmission, not a new handshake. */
  isn: Map<string, number>;
}

/**
 * The scaled window of every segment, keyed by the event; undefined where the scale is unknown (the capture
 * started after the handshake), so a reader sees the raw field rather than a guess.
 */
export function scaledWindows(events: readonly TraceEvent[]): Map<SegmentEvent, number | undefined> {
  const handshakes = new Map<string, Handshake>();
  const out = new Map<SegmentEvent, number | undefined>();
  for (const ev of events) {
    if (ev.kind !== 'segment') continue;
    const key = ev.src < ev.dst ? `${ev.src} ${ev.dst}` : `${ev.dst} ${ev.src}`;
    const syn = ev.flags.includes('SYN');
    let hs = handshakes.get(key);
    if (syn) {
      // A SYN without ACK starts a (new) handshake on this pair, unless it is its sender's SYN sent again
      // (the same ISN, RFC 9293 3.8.1); a SYN-ACK completes it.
      if (hs === undefined || (!ev.flags.includes('ACK') && hs.shift.has(ev.src) && hs.isn.get(ev.src) !== ev.seq)) {
        hs = { shift: new Map(), isn: new Map() };
        handshakes.set(key, hs);
      }
      const ws = ev.options.find((o) => o.kind === 'windowScale');
      hs.shift.set(ev.src, ws?.kind === 'windowScale' ? Math.min(ws.shift, 14) : undefined);
      hs.isn.set(ev.src, ev.seq);
      out.set(ev, ev.win); // RFC 7323 2.2: the window of a SYN is never scaled
      continue;
    }
    if (hs === undefined || !hs.shift.has(ev.src) || !hs.shift.has(ev.dst)) {
      out.set(ev, undefined);
      continue;
    }
    const own = hs.shift.get(ev.src);
    const peer = hs.shift.get(ev.dst);
    out.set(ev, own !== undefined && peer !== undefined ? ev.win * 2 ** own : ev.win);
  }
  return out;
}
