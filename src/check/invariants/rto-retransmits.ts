// RFC 6298 5.4: "When the retransmission timer expires, retransmit the earliest segment that has not been
// acknowledged by the TCP receiver" (RFC 9293 3.8.1 likewise for the SYN). So when a socket's retransmission
// timer fires, the socket sends a segment to its peer at that instant, or gives up (a state change: the
// retries are spent, RFC 9293 3.8.3 R2). A timer that fires and sends nothing guards nothing.
import type { Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';

const NAME = 'rto-retransmits';
const RFC = 'RFC 6298 5.4';

export function rtoRetransmits(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const events = trace.events;
  /** What happened at each instant: segments sent "t src>dst" and state changes "t host#socket". */
  const done = new Set<string>();
  for (const e of events) {
    if (e.kind === 'segment' && !e.injected) done.add(`${e.t} ${e.src}>${e.dst}`);
    else if (e.kind === 'state') done.add(`${e.t} ${e.host}#${e.socket}`);
  }
  events.forEach((ev, index) => {
    if (ev.kind !== 'timer' || ev.timer !== 'retransmit' || ev.action !== 'fired' || ev.peer === undefined) return;
    if (!done.has(`${ev.t} ${ev.endpoint}>${ev.peer}`) && !done.has(`${ev.t} ${ev.host}#${ev.socket}`)) {
      out.push({ invariant: NAME, rfc: RFC, message: `${ev.host} ${ev.endpoint}: the retransmission timer fired (${at(trace, index)}) and nothing was sent to ${ev.peer}`, events: [index] });
    }
  });
  return out;
}
