// RFC 9293 3.3.1 / 3.10.7.4 eighth: a FIN takes one sequence number, so once it has arrived in order (all data
// before it received), RCV.NXT is past it and every ACK its receiver sends afterwards acknowledges it:
// never SEG.SEQ + SEG.LEN of the FIN (the ACK that stops one short of it). A FIN that arrives before data it
// follows is held, and the ACKs stay below SEG.SEQ + SEG.LEN until the hole fills and the FIN is taken at once.
// (A receiver may also refuse the whole segment for its ACK, RFC 5961 5.2; a correct peer never provokes that,
// so an ACK one short of an in-order FIN is a bug on one side or the other.) Only a FIN that reached a
// connection counts: one that arrived before its receiver had a socket for the 4-tuple (at a listener, say,
// as the ACK of a SYN cookie it fails) was answered by that socket, not taken into any RCV.NXT.
import type { Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { arrived, seqAdd } from '../trace-facts.js';

const NAME = 'fin-acknowledged';
const RFC = 'RFC 9293 3.3.1';

export function finAcknowledged(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const events = trace.events;
  /** Per direction "receiver<sender": the arrived FIN (the data end before it) not yet known to be acknowledged. */
  const fins = new Map<string, { end: number; arrival: number; index: number }>();
  // Each 4-tuple's state changes on the receiving side ("endpoint<peer"): when it had a connection.
  const states = new Map<string, Array<{ t: number; to: string }>>();
  for (const ev of events) {
    if (ev.kind === 'state' && ev.peer !== undefined) {
      const key = `${ev.endpoint}<${ev.peer}`;
      const list = states.get(key);
      if (list) list.push({ t: ev.t, to: ev.to });
      else states.set(key, [{ t: ev.t, to: ev.to }]);
    }
  }
  const hadConnection = (key: string, t: number) => {
    let last: string | undefined;
    for (const s of states.get(key) ?? []) {
      if (s.t > t) break;
      last = s.to;
    }
    return last !== undefined && last !== 'CLOSED';
  };
  const arrivals: Array<{ t: number; index: number }> = [];
  events.forEach((ev, index) => {
    if (ev.kind === 'segment' && arrived(ev) && ev.flags.includes('FIN') && !ev.injected) arrivals.push({ t: ev.arrival!, index });
  });
  arrivals.sort((a, b) => a.t - b.t || a.index - b.index);
  let next = 0;
  /** Takes in the FINs that arrived strictly before `t`. */
  const arrivedBefore = (t: number) => {
    for (; next < arrivals.length && arrivals[next]!.t < t; next++) {
      const fin = events[arrivals[next]!.index]!;
      if (fin.kind === 'segment' && fin.discarded === undefined && hadConnection(`${fin.dst}<${fin.src}`, fin.arrival!)) fins.set(`${fin.dst}<${fin.src}`, { end: seqAdd(fin.seq, fin.len), arrival: fin.arrival!, index: arrivals[next]!.index });
    }
  };
  events.forEach((ev, index) => {
    if (ev.kind === 'state' && ev.peer !== undefined && (ev.from === 'LISTEN' || ev.from === 'CLOSED')) {
      // A socket starts a connection on the 4-tuple: a new incarnation (one a SYN cookie's ACK makes has no SYN
      // of its own in the trace), so what its receiver got before is not its RCV.NXT.
      arrivedBefore(ev.t);
      fins.delete(`${ev.endpoint}<${ev.peer}`);
      return;
    }
    if (ev.kind !== 'segment') return;
    arrivedBefore(ev.t);
    const key = `${ev.src}<${ev.dst}`;
    if (ev.flags.includes('SYN')) {
      fins.delete(key); // a new incarnation
      fins.delete(`${ev.dst}<${ev.src}`);
    }
    const fin = fins.get(key);
    if (!fin || ev.injected || ev.flags.includes('RST') || !ev.flags.includes('ACK')) return;
    if (ev.ack === fin.end) {
      out.push({ invariant: NAME, rfc: RFC, message: `${ev.src}: ${at(trace, index)} acknowledges ${ev.ack}, short of the FIN from ${ev.dst} that arrived in order at ${(fin.arrival / 1000).toFixed(3)} ms (${at(trace, fin.index)}): a FIN takes a sequence number`, events: [fin.index, index] });
      fins.delete(key);
    }
  });
  return out;
}
