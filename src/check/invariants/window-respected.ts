// RFC 9293 3.8.6: a sender may not send data past the right edge of the window its peer offered
// (SND.UNA + SND.WND as the peer's segments set them): for every data segment, seq + len is at most the
// largest ack + window the sender had received from the peer by then. Windows are scaled (RFC 7323 2.2):
// the window field of a segment other than a SYN is shifted left by its sender's shift, when both SYNs of
// the connection carried the option. The one exception is the zero-window probe (RFC 9293 3.8.6.1): one
// octet past the edge when the edge does not move. Only payload octets count (not SYN or FIN).
import type { SegmentEvent, Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { arrived, seqAdd, seqDelta } from '../trace-facts.js';
import { scaledWindows } from '../../sim/trace-windows.js';

const NAME = 'window-respected';
const RFC = 'RFC 9293 3.8.6';

/** One connection incarnation: the ISN of each endpoint whose SYN was seen, the right edge offered to each (the largest it has seen). */
interface Pair {
  synFrom: Map<string, number>;
  edge: Map<string, number>;
}

export function windowRespected(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const pairs = new Map<string, Pair>();
  // Each segment's window as its receiver reads it (the shift of the handshake it was sent in); undefined
  // when the handshake was not all seen, and then it sets no edge: the scale is not known.
  const windows = scaledWindows(trace.events);
  const keyOf = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
  // Arrivals in time order: a window counts for the sender once the segment carrying it has reached it.
  const arrivals = trace.events
    .map((ev, index) => ({ ev, index }))
    .filter((x): x is { ev: SegmentEvent; index: number } => x.ev.kind === 'segment' && arrived(x.ev))
    .sort((a, b) => a.ev.arrival! - b.ev.arrival! || a.index - b.index);
  let next = 0;
  const receiveUpTo = (t: number) => {
    for (; next < arrivals.length && arrivals[next]!.ev.arrival! <= t; next++) {
      const seg = arrivals[next]!.ev;
      const pair = pairs.get(keyOf(seg.src, seg.dst));
      const window = windows.get(seg);
      if (!pair || !seg.flags.includes('ACK') || seg.flags.includes('RST') || window === undefined) continue;
      const edge = seqAdd(seg.ack, window);
      const before = pair.edge.get(seg.dst);
      if (before === undefined || seqDelta(before, edge) > 0) pair.edge.set(seg.dst, edge);
    }
  };
  trace.events.forEach((ev, index) => {
    if (ev.kind !== 'segment') return;
    receiveUpTo(ev.t);
    const key = keyOf(ev.src, ev.dst);
    if (ev.flags.includes('SYN')) {
      // A SYN without ACK opens a new incarnation of the pair (unless it is the same SYN sent again: the
      // same ISN); its SYN-ACK completes the handshake.
      let pair = pairs.get(key);
      if (!pair || (!ev.flags.includes('ACK') && pair.synFrom.has(ev.src) && pair.synFrom.get(ev.src) !== ev.seq)) {
        pair = { synFrom: new Map(), edge: new Map() };
        pairs.set(key, pair);
      }
      pair.synFrom.set(ev.src, ev.seq);
      return;
    }
    if (ev.len === 0 || ev.injected) return;
    const edge = pairs.get(key)?.edge.get(ev.src);
    if (edge === undefined) return; // no window offered yet in this trace (a capture cut mid-connection)
    const over = seqDelta(edge, seqAdd(ev.seq, ev.len));
    const probe = ev.len === 1 && over === 1;
    if (over > 0 && !probe) {
      out.push({
        invariant: NAME,
        rfc: RFC,
        message: `${ev.src} sent ${ev.len} bytes ending at ${seqAdd(ev.seq, ev.len)}, ${over} past the right edge ${edge} its peer offered (${at(trace, index)})`,
        events: [index],
      });
    }
  });
  return out;
}
