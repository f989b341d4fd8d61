// RFC 9293 3.4 (establishing a connection): each side picks an initial sequence number, and the handshake
// ends with each side having acknowledged the other's. A side that becomes ESTABLISHED must have seen its
// own ISN acknowledged (ISS+1) by the segment that got it there, and its own next segment must acknowledge
// the peer's ISN (IRS+1, plus at most the data and FIN the peer has sent since).
import type { SegmentEvent, Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { arrived, indexTrace, seqAdd, seqDelta, socketLives } from '../trace-facts.js';

const NAME = 'isn-agreement';
const RFC = 'RFC 9293 3.4';

export function isnAgreement(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string, events: number[]) => out.push({ invariant: NAME, rfc: RFC, message, events });
  const { segmentsFrom } = indexTrace(trace);
  for (const life of socketLives(trace).values()) {
    if (life.peer === undefined) continue;
    const est = life.states.find((s) => s.event.to === 'ESTABLISHED' && (s.event.from === 'SYN_SENT' || s.event.from === 'SYN_RECEIVED'));
    if (!est) continue;
    const t = est.event.t;
    const born = life.states[0]!.event.t;
    const mine = segmentsFrom(life.endpoint, life.peer).filter((s) => s.seg.t >= born && !s.seg.injected);
    const theirs = segmentsFrom(life.peer, life.endpoint).filter((s) => arrived(s.seg) && s.seg.arrival! >= born && s.seg.arrival! <= t);
    const syn = [...mine].reverse().find((s) => s.seg.t <= t && s.seg.flags.includes('SYN'));
    const peerSyn = [...theirs].reverse().find((s) => s.seg.flags.includes('SYN'));
    if (!syn || !peerSyn) continue; // born from a SYN cookie or before the trace: no handshake to read
    const iss = syn.seg.seq;
    const irs = peerSyn.seg.seq;
    // The segments that completed the handshake here arrived from the peer at this instant; the one
    // accepted acknowledged exactly ISS+1 (3.10.7.3/3.10.7.4: nothing else had been sent, SND.NXT = ISS+1).
    const completing = theirs.filter((s) => s.seg.arrival === t && s.seg.flags.includes('ACK'));
    if (completing.length > 0 && !completing.some((s) => s.seg.ack === seqAdd(iss, 1))) {
      const c = completing[0]!;
      fail(`${life.host} ${life.endpoint}: its ISN is ${iss} but no segment from the peer that arrived when it became ESTABLISHED (${at(trace, est.index)}) acknowledges ${seqAdd(iss, 1)}: the ${flagText(c.seg)} acknowledges ${c.seg.ack} (${at(trace, c.index)})`, [c.index, est.index]);
    }
    // Its first segment after that instant: acknowledges IRS+1, or beyond by no more than the peer has sent.
    const next = mine.find((s) => s.index > est.index && s.seg.flags.includes('ACK') && !s.seg.flags.includes('RST'));
    if (!next) continue;
    const peerSent = segmentsFrom(life.peer, life.endpoint)
      .filter((s) => s.index < next.index && !s.seg.injected)
      .reduce((max, s) => Math.max(max, seqDelta(irs, seqAdd(s.seg.seq, s.seg.len + (s.seg.flags.includes('FIN') ? 1 : 0) + (s.seg.flags.includes('SYN') ? 1 : 0)))), 1);
    const d = seqDelta(seqAdd(irs, 1), next.seg.ack);
    if (d < 0 || d > peerSent - 1) {
      fail(`${life.host} ${life.endpoint}: the peer's ISN is ${irs} (${at(trace, peerSyn.index)}) but its first segment once ESTABLISHED acknowledges ${next.seg.ack}, outside ${seqAdd(irs, 1)}..${seqAdd(irs, peerSent)} (${at(trace, next.index)})`, [peerSyn.index, next.index]);
    }
  }
  return out;
}

function flagText(seg: SegmentEvent): string {
  return seg.flags.join('-');
}
