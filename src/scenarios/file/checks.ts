// The file's `expect` list, checked against the finished run: socket states come from the trace's state
// events for that socket, received bytes from what the program's receive calls returned.
import type { StateEvent, Trace } from '../../sim/trace.js';
import type { ProfileName } from '../../tcp/profile.js';
import { concatBytes } from '../../wire/bytes.js';
import type { CheckResult, ProgramState } from './program.js';
import type { Expectation } from './schema.js';

export function checkExpectations(
  expectations: Expectation[],
  trace: Trace,
  programs: Map<string, ProgramState[]>,
  profileOf: Record<string, ProfileName>,
): CheckResult[] {
  const out: CheckResult[] = [];
  for (const e of expectations) {
    if (e.profile !== undefined && e.profile !== profileOf[e.host]) continue;
    const owners = (programs.get(e.host) ?? []).filter((s) => (e.program === undefined || s.name === e.program) && (s.sockets.has(e.socket) || s.received.has(e.socket)));
    const handle = owners[owners.length - 1]?.sockets.get(e.socket);
    const who = `${e.host}${e.program !== undefined ? ` (${e.program})` : ''}`;
    const changes = trace.events.filter((ev): ev is StateEvent => ev.kind === 'state' && ev.host === e.host && ev.socket === handle?.fd);
    if (e.state !== undefined) {
      const at = e.at ?? Infinity;
      const before = changes.filter((c) => c.t <= at);
      const actual = before.length > 0 ? before[before.length - 1]!.to : 'CLOSED';
      const when = e.at !== undefined ? ` at ${e.at / 1e6} s` : ' when the run ends';
      out.push(result(`${who}: ${e.socket} is ${e.state}${when}`, actual === e.state, actual));
    } else if (e.states !== undefined) {
      const actual = changes.map((c) => c.to);
      const ok = actual.length === e.states.length && actual.every((s, i) => s === e.states![i]);
      out.push(result(`${who}: ${e.socket} goes ${e.states.join(' -> ')}`, ok, actual.join(' -> ') || 'no state changes'));
    } else if (e.received !== undefined) {
      const bytes = concatBytes(owners.flatMap((s) => s.received.get(e.socket) ?? []));
      const want = e.received;
      const text = new TextDecoder().decode(bytes);
      const ok = typeof want === 'number' ? bytes.length === want : text === want;
      const what = typeof want === 'number' ? `${want} bytes` : JSON.stringify(want);
      out.push(result(`${who}: ${e.socket} received ${what}`, ok, typeof want === 'number' ? `${bytes.length} bytes` : JSON.stringify(text)));
    }
  }
  return out;
}

function result(what: string, ok: boolean, actual: string): CheckResult {
  return ok ? { what, ok } : { what, ok, actual };
}
