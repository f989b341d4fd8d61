// RFC 9293 3.10.7.4, second (check the RST bit), SYN-RECEIVED STATE: a RST whose sequence number is RCV.NXT
// removes the connection (a passively opened one goes back to LISTEN, which is the listener's; an actively
// opened one is refused). RFC 5961 3.2 only narrows which RSTs count, to exactly RCV.NXT: that one always does,
// in both profiles. In SYN_RECEIVED, RCV.NXT is the peer's ISN + 1, read from the SYN that opened it.
import type { Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { arrived, seqAdd } from '../trace-facts.js';

const NAME = 'rst-in-syn-received';
const RFC = 'RFC 9293 3.10.7.4';

export function rstInSynReceived(trace: Trace): Violation[] {
  const out: Violation[] = [];
  /** Per connection "endpoint<peer": the state it is in (as of the last state event) and its RCV.NXT in SYN_RECEIVED. */
  const state = new Map<string, string>();
  const irs = new Map<string, number>();
  const events = trace.events;
  /** Segment arrivals are not in the events' order (they are listed when sent): handle them at their arrival time. */
  const arrivals = events.flatMap((ev, index) => (ev.kind === 'segment' && arrived(ev) ? [{ t: ev.arrival!, index }] : []));
  arrivals.sort((a, b) => a.t - b.t || a.index - b.index);
  let next = 0;
  const handleArrivalsBefore = (t: number, inclusive: boolean) => {
    while (next < arrivals.length && (arrivals[next]!.t < t || (inclusive && arrivals[next]!.t === t))) {
      const { index } = arrivals[next++]!;
      const seg = events[index]!;
      if (seg.kind !== 'segment') continue;
      const key = `${seg.dst}<${seg.src}`;
      if (seg.flags.includes('SYN') && !seg.flags.includes('ACK')) irs.set(key, seg.seq);
      if (!seg.flags.includes('RST') || state.get(key) !== 'SYN_RECEIVED' || irs.get(key) === undefined) continue;
      if (seg.discarded !== undefined || seg.seq !== seqAdd(irs.get(key)!, 1)) continue;
      // It must leave SYN_RECEIVED at this instant.
      const left = events.some((e) => e.kind === 'state' && e.t === seg.arrival && e.endpoint === seg.dst && e.peer === seg.src && e.from === 'SYN_RECEIVED');
      if (!left) out.push({ invariant: NAME, rfc: RFC, message: `${seg.dst}: the RST from ${seg.src} at RCV.NXT (${at(trace, index)}, arrived ${(seg.arrival! / 1000).toFixed(3)} ms) did not end SYN_RECEIVED`, events: [index] });
    }
  };
  events.forEach((ev) => {
    if (ev.kind !== 'state' || ev.peer === undefined) return;
    handleArrivalsBefore(ev.t, false);
    state.set(`${ev.endpoint}<${ev.peer}`, ev.to);
  });
  handleArrivalsBefore(Infinity, true);
  return out;
}
