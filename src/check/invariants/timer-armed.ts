// RFC 6298 5.1 and RFC 9293 3.8.1: what is sent and not yet acknowledged is guarded by the retransmission timer,
// and a window too small to send into by the persist timer (RFC 9293 3.8.6.1). So a socket that still owes its
// peer a segment it must get through — a SYN (SYN_SENT), a SYN-ACK (SYN_RECEIVED: Linux's SYN-ACK timer), or a
// FIN not yet acknowledged (FIN_WAIT_1, CLOSING, LAST_ACK) — never sits with none of those timers armed: when the
// run ends in such a state, one of them must still be set, or the connection would wait forever.
import type { Trace } from '../../sim/trace.js';
import { at, type Violation } from '../violation.js';
import { socketKey, socketLives } from '../trace-facts.js';

const NAME = 'timer-armed';
const RFC = 'RFC 6298 5.1';
const OWING = new Set(['SYN_SENT', 'SYN_RECEIVED', 'FIN_WAIT_1', 'CLOSING', 'LAST_ACK']);
const GUARDS = new Set(['retransmit', 'persist', 'synAck']);

export function timerArmed(trace: Trace): Violation[] {
  const out: Violation[] = [];
  /** Per socket: the guard timers armed after the last event. */
  const armed = new Map<string, Set<string>>();
  for (const ev of trace.events) {
    if (ev.kind !== 'timer' || ev.socket === undefined || !GUARDS.has(ev.timer)) continue;
    const key = socketKey(ev.host, ev.socket);
    const set = armed.get(key) ?? new Set<string>();
    armed.set(key, set);
    if (ev.action === 'set') set.add(ev.timer);
    else set.delete(ev.timer);
  }
  for (const [key, life] of socketLives(trace)) {
    const last = life.states[life.states.length - 1];
    if (!last || !OWING.has(last.event.to) || (armed.get(key)?.size ?? 0) > 0) continue;
    out.push({
      invariant: NAME,
      rfc: RFC,
      message: `${life.host} ${life.endpoint}: ends in ${last.event.to} (since ${at(trace, last.index)}) with no retransmission, persist or SYN-ACK timer armed: what it owes its peer is never sent again`,
      events: [last.index],
    });
  }
  return out;
}
