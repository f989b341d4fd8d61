// RFC 9293 3.10.1 (OPEN call) and 3.5: an active open either reaches ESTABLISHED, and connect() returns ok,
// or fails, and connect() reports why (ECONNREFUSED after a RST, ETIMEDOUT after the SYN retries,
// EINPROGRESS when the socket's timeout ran out first, ...). So: every connect() that returned ok was on a
// socket already ESTABLISHED (it went through ESTABLISHED before the call's result); every other result is
// an errno (src/tcp/errno.ts) and the socket was not ESTABLISHED then; and a socket whose active open
// settled (it left SYN_SENT) had its connect() return.
import type { Trace } from '../../sim/trace.js';
import { ERRNO_TEXT } from '../../tcp/errno.js';
import { at, type Violation } from '../violation.js';
import { socketKey, socketLives } from '../trace-facts.js';

const NAME = 'connect-outcome';
const RFC = 'RFC 9293 3.10.1';

export function connectOutcome(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string, events: number[]) => out.push({ invariant: NAME, rfc: RFC, message, events });
  const lives = socketLives(trace);
  const returned = new Set<string>();
  trace.events.forEach((ev, index) => {
    if (ev.kind !== 'call' || (ev.call !== 'connect' && ev.call !== 'connect_ex') || ev.socket === undefined) return;
    const key = socketKey(ev.host, ev.socket);
    returned.add(key);
    const before = (lives.get(key)?.states ?? []).filter((s) => s.index < index);
    const reached = before.some((s) => s.event.to === 'ESTABLISHED');
    const now = before.at(-1)?.event.to ?? 'CLOSED';
    const who = `${ev.host}: connect(${ev.args?.[0] ?? ''})`;
    if (ev.result === 'ok') {
      if (!reached) fail(`${who} returned ok (${at(trace, index)}) but the socket never reached ESTABLISHED (it was ${now})`, [index]);
    } else if (!Object.hasOwn(ERRNO_TEXT, ev.result)) {
      fail(`${who} ended with "${ev.result}" (${at(trace, index)}), neither ok nor an errno`, [index]);
    } else if (now === 'ESTABLISHED') {
      fail(`${who} failed with ${ev.result} (${at(trace, index)}) while the socket was ESTABLISHED`, [index]);
    }
  });
  for (const [key, life] of lives) {
    const open = life.states.find((s) => s.event.cause === 'ACTIVE_OPEN');
    if (!open || returned.has(key)) continue;
    const settled = life.states.find((s) => s.index > open.index && s.event.from === 'SYN_SENT');
    if (settled) fail(`${life.host} ${life.endpoint}: its active open settled (${at(trace, settled.index)}: ${settled.event.from} -> ${settled.event.to}) but connect() never returned`, [open.index, settled.index]);
  }
  return out;
}
