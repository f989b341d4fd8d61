// The one-line summary printed under a ladder: each host's sockets in their final states, and the calls
// that failed. E.g. "final: client CLOSED; server LISTEN, TIME_WAIT x2 | failed calls: none".
import type { Trace } from '../sim/trace.js';
import { hostName } from './hosts.js';
import { printableTrace } from './printable-trace.js';
import { shorten } from './wrap.js';

/** ["A", "B", "B"] -> "A, B x2", keeping first-seen order. */
function counted(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => (n > 1 ? `${item} x${n}` : item)).join(', ');
}

export function summarizeTrace(trace: Trace, width = Infinity): string {
  trace = printableTrace(trace); // user strings shown, never obeyed (issue 10)
  // Final state per socket, per host; hosts in trace.hosts order, sockets by id.
  const finals = new Map<string, Map<number, string>>();
  for (const ev of trace.events) {
    if (ev.kind !== 'state') continue;
    const name = hostName(trace.hosts, ev.host);
    const sockets = finals.get(name) ?? new Map<number, string>();
    sockets.set(ev.socket, ev.to);
    finals.set(name, sockets);
  }
  const order = trace.hosts.map((h) => h.name);
  const hosts = [...finals.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const states = hosts.map((name) => {
    const sockets = finals.get(name) as Map<number, string>;
    const byId = [...sockets].sort(([a], [b]) => a - b).map(([, state]) => state);
    return `${name} ${counted(byId)}`;
  });
  const failed = trace.events.flatMap((ev) =>
    ev.kind === 'call' && ev.result !== 'ok' ? [`${hostName(trace.hosts, ev.host)} ${ev.call}() ${ev.result}`] : [],
  );
  const line =
    `final: ${states.length > 0 ? states.join('; ') : 'no sockets'}` +
    ` | failed calls: ${failed.length > 0 ? counted(failed) : 'none'}`;
  return shorten(line, width);
}
