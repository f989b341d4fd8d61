// The words written for a socket call (the diagram model's notes).
import type { CallEvent } from '../sim/trace.js';

/** "connect(10.0.0.2:80) = ok", "accept() = fd 4 from 10.0.0.1:40000", "connect(10.0.0.2:81) = ECONNREFUSED". */
export function callText(ev: CallEvent): string {
  const outcome = ev.result === 'ok' && ev.value ? ev.value : ev.result;
  return `${ev.call}(${(ev.args ?? []).join(', ')}) = ${outcome}`;
}
