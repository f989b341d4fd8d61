// The ready invariants, in one list, and checkTrace to run them all over a trace.
import type { Trace } from '../../sim/trace.js';
import type { CheckContext, Invariant, Violation } from '../violation.js';
import { backlogLimit } from './backlog-limit.js';
import { bytesDelivered } from './bytes-delivered.js';
import { chartEdges } from './chart-edges.js';
import { connectOutcome } from './connect-outcome.js';
import { isnAgreement } from './isn-agreement.js';
import { timeWaitLength } from './time-wait-length.js';
import { timeWaitSide } from './time-wait-side.js';
import { windowRespected } from './window-respected.js';

export { backlogLimit, bytesDelivered, chartEdges, connectOutcome, isnAgreement, timeWaitLength, timeWaitSide, windowRespected };

export const INVARIANTS: readonly Invariant[] = Object.freeze([
  { name: 'isn-agreement', rfc: 'RFC 9293 3.4', description: 'after a handshake both sides agree on each other\'s initial sequence numbers', check: isnAgreement },
  { name: 'bytes-delivered', rfc: 'RFC 9293 3.10', description: 'the bytes a program reads are the bytes its peer sent, in order, exactly once', check: bytesDelivered },
  { name: 'time-wait-side', rfc: 'RFC 9293 3.6', description: 'only the side that closed first (before the FIN of the peer arrived) enters TIME_WAIT (both, in a simultaneous close)', check: timeWaitSide },
  { name: 'chart-edges', rfc: 'RFC 9293 3.3.2', description: 'every state change is an edge of the statechart', check: chartEdges },
  { name: 'window-respected', rfc: 'RFC 9293 3.8.6', description: 'no segment carries data past the (scaled) window the peer offered', check: windowRespected },
  { name: 'time-wait-length', rfc: 'RFC 9293 3.6', description: 'TIME_WAIT lasts the profile\'s 2MSL (Linux: 60 s)', check: timeWaitLength },
  { name: 'connect-outcome', rfc: 'RFC 9293 3.10.1', description: 'every connect() ends ESTABLISHED or with an errno', check: connectOutcome },
  { name: 'backlog-limit', rfc: 'RFC 9293 3.10.1 (Linux sk_acceptq_is_full)', description: 'a listener never holds more completed connections than its backlog allows (Linux: backlog+1)', check: backlogLimit },
]);

export interface CheckOptions extends CheckContext {
  /** Run only these invariants (by name); default all. */
  only?: readonly string[];
}

/** Every violation of every invariant (or of `only`), in INVARIANTS order. An empty list: all held. */
export function checkTrace(trace: Trace, options: CheckOptions = {}): Violation[] {
  const unknown = options.only?.filter((n) => !INVARIANTS.some((i) => i.name === n)) ?? [];
  if (unknown.length) throw new Error(`unknown invariant "${unknown[0]}" (expected one of: ${INVARIANTS.map((i) => i.name).join(', ')})`);
  return INVARIANTS.filter((i) => !options.only || options.only.includes(i.name)).flatMap((i) => i.check(trace, options));
}
