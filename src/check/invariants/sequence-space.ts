// RFC 9293 3.3.1 and 3.4: every octet, and the SYN and the FIN, take one sequence number each, handed out in
// order. So each side's segments on a connection continue its sequence space: one that is not a retransmission
// starts exactly where everything it sent before ends (SND.NXT), and a segment that takes no sequence space (a
// pure ACK) carries SND.NXT too. Exempt: RSTs (their seq is the ACK they answer), zero window probes (SND.UNA-1,
// Linux tcp_xmit_probe_skb), injected segments (the scenario's, not a host's), and the first segment of a
// direction whose SYN the trace does not show. A SYN starts the direction over (a new incarnation), and so does
// a socket that starts a connection on the 4-tuple (a state change out of LISTEN or CLOSED): a SYN cookie's
// ACK may make a connection again after the first one on that 4-tuple ended, with the same ISN (Linux
// cookie_v4_check accepts a valid cookie for two minutes after a SYN queue overflow).
import type { SegmentEvent, Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { seqAdd, seqDelta } from '../trace-facts.js';

const NAME = 'sequence-space';
const RFC = 'RFC 9293 3.3.1';

/** The sequence numbers a segment takes: its octets, plus one for SYN and one for FIN. */
function span(seg: SegmentEvent): number {
  return seg.len + (seg.flags.includes('SYN') ? 1 : 0) + (seg.flags.includes('FIN') ? 1 : 0);
}

export function sequenceSpace(trace: Trace): Violation[] {
  const out: Violation[] = [];
  /** Per direction "src>dst": the end of what was sent (SND.MAX as the trace sees it) and the event that set it. */
  const sent = new Map<string, { end: number; index: number }>();
  const seen = new Set<number>();
  trace.events.forEach((ev, index) => {
    if (ev.kind === 'state' && ev.peer !== undefined && (ev.from === 'LISTEN' || ev.from === 'CLOSED')) {
      sent.delete(`${ev.endpoint}>${ev.peer}`);
      return;
    }
    if (ev.kind !== 'segment' || ev.injected || ev.flags.includes('RST') || ev.note === 'zero window probe') return;
    if (seen.has(ev.id)) return; // a second copy of one segment
    seen.add(ev.id);
    const key = `${ev.src}>${ev.dst}`;
    const end = seqAdd(ev.seq, span(ev));
    const before = sent.get(key);
    if (ev.flags.includes('SYN') || before === undefined) {
      sent.set(key, { end, index });
      return;
    }
    const gap = seqDelta(before.end, ev.seq);
    const what = `${ev.src} -> ${ev.dst}: ${at(trace, index)} [${ev.flags.join(',')}] seq ${ev.seq}`;
    if (gap > 0) {
      out.push({ invariant: NAME, rfc: RFC, message: `${what} starts ${gap} past the end of what it sent before (${before.end}, ${at(trace, before.index)}): sequence numbers skipped`, events: [before.index, index] });
    } else if (gap < 0 && !ev.retransmit) {
      const taken = span(ev) === 0 ? 'an ACK below SND.NXT' : 'sends sequence numbers again without being a retransmission';
      out.push({ invariant: NAME, rfc: RFC, message: `${what}: ${taken}; ${-gap} of them were taken by ${at(trace, before.index)} (a FIN or data takes its sequence numbers)`, events: [before.index, index] });
    }
    if (seqDelta(before.end, end) > 0) sent.set(key, { end, index });
  });
  return out;
}
