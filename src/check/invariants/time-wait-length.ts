// RFC 9293 3.6 / 3.10.7.4: TIME_WAIT lasts 2*MSL, and a FIN received in TIME_WAIT restarts it. The length
// is the host's profile's timeWaitLength (src/tcp/profile.ts: Linux TCP_TIMEWAIT_LEN 60 s; the RFC profile
// 2*MSL = 240 s). A restart shows in the trace as the timeWait timer set again. A TIME_WAIT ended by its timeout (TIMEOUT_2MSL) lasted exactly that long since it was
// entered or last restarted; one ended otherwise (a new SYN reusing it, a RST) or still running at the
// end of the trace lasted no longer.
import type { Trace } from '../../sim/trace.js';
import { at, profileOf, type CheckContext, type Violation } from '../violation.js';
import { socketKey, socketLives } from '../trace-facts.js';

const NAME = 'time-wait-length';
const RFC = 'RFC 9293 3.6';

export function timeWaitLength(trace: Trace, context?: CheckContext): Violation[] {
  const out: Violation[] = [];
  const end = trace.events.reduce((max, ev) => Math.max(max, ev.t), 0);
  const restarts = new Map<string, number[]>(); // "host#socket" -> indexes of timeWait (re)starts
  trace.events.forEach((ev, index) => {
    if (ev.kind === 'timer' && ev.timer === 'timeWait' && ev.action === 'set' && ev.socket !== undefined) {
      const key = socketKey(ev.host, ev.socket);
      restarts.set(key, [...(restarts.get(key) ?? []), index]);
    }
  });
  for (const [key, life] of socketLives(trace)) {
    const length = profileOf(trace, life.host, context).timeWaitLength;
    let since: { index: number; t: number } | undefined;
    const steps = [...life.states.map((s) => ({ index: s.index, event: s.event as Trace['events'][number] })), ...(restarts.get(key) ?? []).map((index) => ({ index, event: trace.events[index]! }))].sort((a, b) => a.index - b.index);
    for (const { index, event } of steps) {
      if (event.kind === 'timer') {
        if (since) since = { index, t: event.t }; // a FIN in TIME_WAIT restarts the 2MSL timer
        continue;
      }
      if (event.kind !== 'state') continue;
      if (event.to === 'TIME_WAIT') {
        since = { index, t: event.t }; // entered, or restarted by the self-loop
        continue;
      }
      if (event.from !== 'TIME_WAIT' || !since) continue;
      const lasted = event.t - since.t;
      const timedOut = event.cause === 'TIMEOUT_2MSL';
      if (timedOut ? lasted !== length : lasted > length) {
        out.push({
          invariant: NAME,
          rfc: RFC,
          message: `${life.host} ${life.endpoint}: TIME_WAIT from ${at(trace, since.index)} to ${at(trace, index)} lasted ${lasted / 1e6} s; the profile's is ${length / 1e6} s`,
          events: [since.index, index],
        });
      }
      since = undefined;
    }
    if (since && end - since.t > length) {
      out.push({ invariant: NAME, rfc: RFC, message: `${life.host} ${life.endpoint}: still in TIME_WAIT ${(end - since.t) / 1e6} s after ${at(trace, since.index)}; the profile's is ${length / 1e6} s`, events: [since.index] });
    }
  }
  return out;
}
