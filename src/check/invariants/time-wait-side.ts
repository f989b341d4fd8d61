// RFC 9293 3.6 (closing a connection): the side that closes first (sends its FIN before it has received
// the peer's) waits in TIME_WAIT; the side that receives a FIN first goes CLOSE_WAIT -> LAST_ACK -> CLOSED
// and never waits. In a simultaneous close both sent their FIN before receiving the other's, and both
// wait (Figure 13). So: a socket that enters TIME_WAIT closed (CLOSE: entered FIN_WAIT_1) no later than it
// received the peer's FIN, its first state change caused by RCV_FIN, and it sent its FIN before TIME_WAIT.
// Closing is the CLOSE call, not the FIN on the wire: a FIN waits behind queued data ("queue this until all
// preceding SENDs have been segmentized", 3.10.4), so the peer's FIN may arrive first and it is still the
// side that closed first (FIN_WAIT_1 -> CLOSING -> TIME_WAIT). (A FIN that arrives out of order, behind lost
// data, is not yet received: it is processed when the data before it is, 3.10.7.4 "eighth, check the FIN bit".)
import type { Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { indexTrace, socketLives } from '../trace-facts.js';

const NAME = 'time-wait-side';
const RFC = 'RFC 9293 3.6';

export function timeWaitSide(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const { segmentsFrom } = indexTrace(trace);
  for (const life of socketLives(trace).values()) {
    const tw = life.states.find((s) => s.event.to === 'TIME_WAIT');
    if (!tw || life.peer === undefined) continue;
    const born = life.states[0]!.event.t;
    const within = (t: number) => t >= born && t <= tw.event.t;
    const myFin = segmentsFrom(life.endpoint, life.peer).find((s) => s.seg.flags.includes('FIN') && within(s.seg.t));
    const myClose = life.states.find((s) => s.event.to === 'FIN_WAIT_1');
    const theirFin = life.states.find((s) => s.event.cause === 'RCV_FIN');
    const who = `${life.host} ${life.endpoint}`;
    if (!myFin) {
      out.push({ invariant: NAME, rfc: RFC, message: `${who} entered TIME_WAIT (${at(trace, tw.index)}) but never sent a FIN`, events: [tw.index] });
    } else if (theirFin && (!myClose || myClose.event.t > theirFin.event.t)) {
      const closed = myClose ? `before this side closed (${at(trace, myClose.index)})` : 'and this side never closed (no FIN_WAIT_1)';
      out.push({
        invariant: NAME,
        rfc: RFC,
        message: `${who} entered TIME_WAIT (${at(trace, tw.index)}) but the peer closed first: its FIN was received (${at(trace, theirFin.index)}: ${theirFin.event.from} -> ${theirFin.event.to}) ${closed}`,
        events: [theirFin.index, ...(myClose ? [myClose.index] : []), tw.index],
      });
    }
  }
  return out;
}
