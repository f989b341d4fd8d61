// The two comparisons besides the packets: the socket calls' results (an EADDRINUSE the kernel gives and the model
// does not is a divergence even when no packet differs), and the socket states `ss -tan` shows at the plan's marks
// against the simulator's states at the same moment. Endpoints are named by role, as the packet diff names them.
import type { CallEvent, StateEvent, Trace } from '../../src/sim/trace.js';
import type { SsSocket } from '../support/netns/ss.js';
import type { CallLine } from './runners/runner-output.js';

/** Calls named the same way on both sides: the simulator records socket-level calls, the runners steps. */
const CALL_NAME: Record<string, string> = {
  connect_ex: 'connect',
  sendall: 'send',
  sendto: 'send',
  recvall: 'recv',
  recv_message: 'recv',
  recvfrom: 'recv',
};
/** Calls compared whatever their result; the others (send, recv, close, ...) only when they fail. */
const ALWAYS = new Set(['bind', 'listen', 'connect', 'accept', 'shutdown']);

function callLine(call: string, result: string): string | undefined {
  const name = CALL_NAME[call] ?? call;
  return ALWAYS.has(name) || result !== 'ok' ? `${name} -> ${result}` : undefined;
}

/**
 * Per program, its calls' results in order, as "connect -> ECONNREFUSED". Per program rather than per host: the
 * calls of two programs on one host interleave by a few microseconds either way.
 */
function callsByProgram(entries: ReadonlyArray<{ host: string; program?: string; call: string; result: string }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) {
    const line = callLine(e.call, e.result);
    if (line === undefined) continue;
    const who = `${e.host}/${e.program ?? e.host}`;
    out.set(who, [...(out.get(who) ?? []), line]);
  }
  return out;
}

/** Differences between the simulator's and the kernel's call results, one readable line per program. */
export function diffCalls(trace: Trace, real: readonly CallLine[], end: number): string[] {
  const sim = callsByProgram(trace.events.filter((e): e is CallEvent => e.kind === 'call' && e.t <= end));
  const kernel = callsByProgram(real);
  const out: string[] = [];
  for (const who of new Set([...sim.keys(), ...kernel.keys()])) {
    const a = sim.get(who) ?? [];
    const b = kernel.get(who) ?? [];
    const k = a.findIndex((line, i) => line !== b[i]);
    const at = k >= 0 ? k : a.length < b.length ? a.length : -1;
    if (at < 0) continue;
    out.push(`${who}: call ${at + 1}: model ${a[at] ?? '(no more calls)'}, kernel ${b[at] ?? '(no more calls)'}`);
  }
  return out;
}

/** Names endpoints by role: the packet diff's roles first, then host name + port. */
export interface RoleNamer {
  roles: ReadonlyMap<string, string>;
  names: Readonly<Record<string, string>>;
}

function roleOf(endpoint: string, host: string | undefined, namer: RoleNamer): string {
  if (endpoint === '*' || /^(\*|0\.0\.0\.0|\[::\]):\*$/.test(endpoint)) return '*';
  const known = namer.roles.get(endpoint);
  if (known) return known;
  const i = endpoint.lastIndexOf(':');
  const ip = endpoint.slice(0, i);
  const name = ip === '0.0.0.0' || ip === '*' ? host : namer.names[ip];
  return `${name ?? ip}:${endpoint.slice(i + 1)}`;
}

/** The simulator's sockets that are not CLOSED at time t, as "local peer STATE" lines, sorted. */
export function simStatesAt(trace: Trace, t: number, namer: RoleNamer): string[] {
  const last = new Map<string, StateEvent>();
  for (const e of trace.events) {
    if (e.kind !== 'state' || e.t > t) continue;
    last.set(`${e.host}#${e.socket}|${e.endpoint}|${e.peer ?? '*'}`, e);
  }
  const lines: string[] = [];
  for (const e of last.values()) {
    if (e.to === 'CLOSED') continue;
    lines.push(`${roleOf(e.endpoint, e.host, namer)} ${e.peer === undefined ? '*' : roleOf(e.peer, undefined, namer)} ${e.to}`);
  }
  return lines.sort();
}

/** ss's sockets as the same lines. */
export function realStates(ss: readonly SsSocket[], namer: RoleNamer): string[] {
  return ss
    .filter((s) => s.state !== 'CLOSED')
    .map((s) => `${roleOf(s.local, undefined, namer)} ${roleOf(s.peer, undefined, namer)} ${s.state}`)
    .sort();
}

/** "" when the two lists are equal, else what only one side has. */
export function diffStates(model: readonly string[], kernel: readonly string[]): string {
  const rest = [...kernel];
  const onlyModel: string[] = [];
  for (const line of model) {
    const i = rest.indexOf(line);
    if (i >= 0) rest.splice(i, 1);
    else onlyModel.push(line);
  }
  if (onlyModel.length === 0 && rest.length === 0) return '';
  return [
    ...onlyModel.map((l) => `model only:  ${l}`),
    ...rest.map((l) => `kernel only: ${l}`),
  ].join('\n');
}
