// Which scenario programs node:net can run faithfully (scenario-runner.mjs); the harness gives the others to the
// python runner. A program is refused at its first step whose system calls, made through node:net, would not be
// the ones a blocking Python program makes, or whose outcome could differ because of what node:net does on its
// own. Each rule was checked on the kernel (test/conformance/runners/node-runner.test.ts, and strace of node 20):
// - libuv sets SO_REUSEADDR on every TCP bind (listen and connect with localAddress alike), and node:net has no
//   bind() of its own: it binds inside listen() or connect(). So a bind must be followed by its listen (only
//   setsockopt/settimeout between) or its connect, a bind may not be expected to fail, and a port bound twice is
//   refused unless every bind of it asked for SO_REUSEADDR and none listens (then the flag is what was asked).
// - node:net accepts every connection as it arrives (kept paused, so its data stays in the kernel): the kernel's
//   accept queue never fills. Refused when more connections can be waiting than the backlog holds (backlog + 1 on
//   Linux, sk_acceptq_is_full) while the listening program sleeps or waits on something else.
// - connect() of an unbound socket binds port 0 first (bind-time port choice, SO_REUSEADDR), so ephemeral port
//   exhaustion ends in EADDRINUSE instead of connect()'s EADDRNOTAVAIL: connects expecting either are refused.
// - No shutdown(SHUT_RD), no SO_SNDBUF, no lingering close (only linger 0: resetAndDestroy), no non-blocking TCP
//   calls, and write() never returns a partial count, so no send with a timeout.
// What node:net does faithfully: recv(max) reads exactly max bytes at most from the kernel (user read buffer,
// paused between calls), so close() with unread data sends RST and the window closes as with Python.
import { describeStep } from '../../../src/scenarios/file/program.js';
import type { ProgramSpec } from '../../../src/scenarios/file/schema.js';
import type { CallStep, ExpectSpec, Step } from '../../../src/scenarios/file/steps.js';

/** A one-line reason node:net cannot run these programs faithfully, naming the first such step; undefined when it can. */
export function nodeCannotExpress(programs: ProgramSpec[]): string | undefined {
  const plan = survey(programs);
  const problems: Array<{ order: number; why: string }> = [...plan.local];
  problems.push(...portsBoundTwice(plan), ...fullAcceptQueues(plan, programs));
  problems.sort((a, b) => a.order - b.order);
  return problems[0]?.why;
}

type SocketType = 'tcp' | 'udp';

interface Bind {
  order: number;
  who: string;
  step: CallStep & { call: 'bind' };
  port: number;
  reuse: boolean;
  listens: boolean;
  times: number;
}

interface Listen {
  order: number;
  who: string;
  program: number;
  host: string;
  socket: string;
  step: CallStep & { call: 'listen' };
  /** From the bind before it: address as written ("" = the program's host) and port; undefined when not bound. */
  address: string | undefined;
  port: number | undefined;
}

interface Connect {
  to: string;
  times: number;
}

interface Survey {
  local: Array<{ order: number; why: string }>;
  binds: Bind[];
  listens: Listen[];
  connects: Connect[];
  /** Program order of every step (steps in program order, programs in file order). */
  order: Map<Step, number>;
}

/** Per program: the sockets' types, timeouts and options as the program goes, in program order. */
interface Flow {
  types: Map<string, SocketType>;
  timeouts: Map<string, number | null>;
  reuse: Map<string, boolean>;
  listening: Set<string>;
  bound: Map<string, { address: string; port: number }>;
}

function expectedLinux(spec: ExpectSpec | undefined): string | undefined {
  return typeof spec === 'object' ? spec.linux : spec;
}


function socketArg(step: Step): string | undefined {
  if (step.call === 'repeat' || step.call === 'sleep' || step.call === 'wait_until') return undefined;
  return (step.args as { socket?: string }).socket;
}

function usesSocket(step: Step, name: string): boolean {
  if (step.call === 'repeat') return step.steps.some((s) => usesSocket(s, name));
  if (step.call === 'socket') return step.args.name === name;
  return socketArg(step) === name;
}

/** Calls that may come between a bind and its listen: they take no time and change only the socket's options. */
const QUIET = new Set<string>(['setsockopt', 'settimeout']);

/** What follows a TCP bind in its list: its listen (nothing but setsockopt between, no `at`), its connect, or why not. */
function bindPartner(list: readonly Step[], i: number): { partner: 'listen' | 'connect' } | { why: string } {
  const name = (list[i] as CallStep & { call: 'bind' }).args.socket;
  for (let j = i + 1; j < list.length; j++) {
    const s = list[j]!;
    if (QUIET.has(s.call) || !usesSocket(s, name)) continue; // options go with the bind
    if (s.call === 'listen') {
      const between = list.slice(i + 1, j + 1);
      if (between.some((b) => b.at !== undefined || (b !== s && !QUIET.has(b.call) && b.call !== 'socket'))) {
        return { why: `bind(${name}) and listen(${name}) are not next to each other (only setsockopt or settimeout may come between, with no "at"): node:net binds and listens in one call` };
      }
      return { partner: 'listen' };
    }
    if (s.call === 'connect' || s.call === 'connect_ex') return { partner: 'connect' };
    return { why: `bind(${name}) is followed by ${s.call === 'repeat' ? 'a repeat using it' : describeStep(s)}, not by listen() or connect(): node:net binds a TCP socket only inside listen() or connect()` };
  }
  return { why: `bind(${name}) has no listen() or connect() after it: node:net binds a TCP socket only inside listen() or connect()` };
}

/** Walks every program once in order (repeat bodies twice, for what one round leaves to the next). */
function survey(programs: ProgramSpec[]): Survey {
  const out: Survey = { local: [], binds: [], listens: [], connects: [], order: new Map() };
  let next = 0;
  programs.forEach((p, index) => {
    const who = p.name ?? p.host;
    const flow: Flow = { types: new Map(), timeouts: new Map(), reuse: new Map(), listening: new Set(), bound: new Map() };
    const seen = new Set<Step>();
    const visit = (list: readonly Step[], times: number, recording: boolean): void => {
      list.forEach((step, i) => {
        if (!out.order.has(step)) out.order.set(step, next++);
        const order = out.order.get(step)!;
        const first = recording && !seen.has(step);
        if (first) seen.add(step);
        if (step.call === 'repeat') {
          const n = step.times ?? Infinity;
          visit(step.steps, times * n, recording);
          visit(step.steps, times * n, false);
          return;
        }
        const problem = stepProblem(step, list, i, flow);
        if (problem !== undefined && (first || !recording)) out.local.push({ order, why: `${who}: ${problem}` });
        record(step, flow, { first, order, who, index, host: p.host, times }, out);
      });
    };
    visit(p.steps, 1, true);
  });
  return out;
}

/** The flow's bookkeeping for one step, and what the plan-wide rules need (recorded once per step). */
function record(step: CallStep, flow: Flow, at: { first: boolean; order: number; who: string; index: number; host: string; times: number }, out: Survey): void {
  const a = step.args as Record<string, unknown>;
  const name = a.socket as string;
  const tcp = (flow.types.get(name) ?? 'tcp') === 'tcp';
  switch (step.call) {
    case 'socket':
      flow.types.set(step.args.name, step.args.type);
      flow.timeouts.delete(step.args.name);
      flow.reuse.delete(step.args.name);
      flow.listening.delete(step.args.name);
      flow.bound.delete(step.args.name);
      return;
    case 'accept':
      flow.types.set(step.args.as, 'tcp');
      flow.timeouts.delete(step.args.as);
      flow.reuse.delete(step.args.as);
      flow.listening.delete(step.args.as);
      flow.bound.delete(step.args.as);
      return;
    case 'settimeout':
      flow.timeouts.set(name, step.args.seconds);
      return;
    case 'setsockopt':
      if (step.args.option === 'SO_REUSEADDR') flow.reuse.set(name, Boolean(step.args.value));
      return;
    case 'bind':
      if (!tcp) return;
      flow.bound.set(name, { address: step.args.address, port: step.args.port });
      if (at.first && step.args.port !== 0) {
        out.binds.push({ order: at.order, who: at.who, step, port: step.args.port, reuse: flow.reuse.get(name) ?? false, listens: false, times: at.times });
      }
      return;
    case 'listen': {
      if (!tcp) return;
      flow.listening.add(name);
      const b = flow.bound.get(name);
      for (const x of out.binds) if (x.who === at.who && x.step.args.socket === name && b !== undefined && x.port === b.port) x.listens = true;
      if (at.first) out.listens.push({ order: at.order, who: at.who, program: at.index, host: at.host, socket: name, step, address: b?.address, port: b?.port });
      return;
    }
    case 'connect':
    case 'connect_ex':
      if (at.first) out.connects.push({ to: step.args.to, times: at.times });
      return;
    default:
      return;
  }
}

/** Rules that need only the step and what came before it in its program. */
function stepProblem(step: CallStep, list: readonly Step[], i: number, flow: Flow): string | undefined {
  const a = step.args as Record<string, unknown>;
  const name = a.socket as string | undefined;
  const tcp = name === undefined || (flow.types.get(name) ?? 'tcp') === 'tcp';
  const what = describeStep(step);
  if (!tcp) return undefined; // UDP: node:dgram makes the same calls
  switch (step.call) {
    case 'setsockopt': {
      const v = step.args.value;
      if (step.args.option === 'SO_SNDBUF') return `${what} SO_SNDBUF: node:net cannot set a TCP socket's send buffer size`;
      if (step.args.option === 'SO_LINGER' && typeof v === 'object' && v.onoff && v.linger > 0) {
        return `${what} SO_LINGER {onoff: 1, linger: ${v.linger}}: node:net can close normally or reset (linger 0), not linger`;
      }
      return undefined;
    }
    case 'shutdown':
      return step.args.how === 'SHUT_WR' ? undefined : `shutdown(${step.args.socket}, ${step.args.how}): node:net cannot shut down the receiving side`;
    case 'settimeout':
      return step.args.seconds === 0 ? `settimeout(${step.args.socket}, 0): node:net has no non-blocking TCP calls` : undefined;
    case 'send':
    case 'sendall':
      return (flow.timeouts.get(step.args.socket) ?? null) !== null ? `${what} with a timeout set: a timed send can return a partial count, node:net's write() cannot` : undefined;
    case 'listen':
      return flow.listening.has(step.args.socket) ? `${what} a second time: node:net cannot change a listener's backlog` : undefined;
    case 'bind': {
      const e = expectedLinux(step.expect);
      if (e !== undefined && e !== 'ok') {
        return `${what} expecting ${e}: node:net binds only inside listen() or connect(), so a failing bind cannot be reported at bind()`;
      }
      const partner = bindPartner(list, i);
      return 'why' in partner ? partner.why : undefined;
    }
    case 'connect':
    case 'connect_ex': {
      const e = expectedLinux(step.expect);
      if (e === 'EADDRNOTAVAIL' || e === 'EADDRINUSE') {
        return `${what} expecting ${e}: node:net binds the local port before connect() (SO_REUSEADDR, port chosen at bind), so running out of ports or a taken 4-tuple fails differently`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** A TCP port bound more than once: libuv's SO_REUSEADDR decides conflicts the program did not ask it to. */
function portsBoundTwice(plan: Survey): Array<{ order: number; why: string }> {
  const out: Array<{ order: number; why: string }> = [];
  const byPort = new Map<number, Bind[]>();
  for (const b of plan.binds) byPort.set(b.port, [...(byPort.get(b.port) ?? []), b]);
  for (const [port, binds] of byPort) {
    const total = binds.reduce((n, b) => n + b.times, 0);
    if (total < 2) continue;
    if (binds.every((b) => b.reuse && !b.listens)) continue;
    const second = binds.length > 1 ? binds[1]! : binds[0]!;
    const again = binds.length > 1 ? 'a second time' : 'in a loop';
    out.push({
      order: second.order,
      why: `${second.who}: ${describeStep(second.step)} binds port ${port} ${again}: libuv sets SO_REUSEADDR on every TCP bind, so whether binds of one port conflict (EADDRINUSE, TIME_WAIT) would not be the kernel's answer for this program`,
    });
  }
  return out;
}

/** Steps after which the listening program may be away from accept() for a while. */
const BLOCKING = new Set(['accept', 'connect', 'connect_ex', 'send', 'sendall', 'recv', 'recvall', 'recv_message', 'recvfrom', 'sleep', 'wait_until']);

interface Flat {
  step: CallStep;
  /** The repeat steps around it, outermost first. */
  repeats: Step[];
}

function flatten(list: readonly Step[], repeats: Step[] = [], out: Flat[] = []): Flat[] {
  for (const s of list) {
    if (s.call === 'repeat') flatten(s.steps, [...repeats, s], out);
    else out.push({ step: s, repeats });
  }
  return out;
}

/** Listeners whose kernel accept queue could fill: node:net would have accepted (and so let in) every connection. */
function fullAcceptQueues(plan: Survey, programs: ProgramSpec[]): Array<{ order: number; why: string }> {
  const out: Array<{ order: number; why: string }> = [];
  for (const l of plan.listens) {
    if (l.port === undefined || l.port === 0) continue; // nobody can know its port to connect to
    const backlog = l.step.args.backlog;
    const waiting = connectsTo(l, plan.connects);
    if (waiting <= backlog + 1) continue; // Linux holds backlog + 1 (sk_acceptq_is_full: len > backlog)
    const away = awayFromAccept(flatten(programs[l.program]!.steps), l);
    if (away === undefined) continue;
    const count = waiting === Infinity ? 'any number of' : String(waiting);
    out.push({
      order: l.order,
      why: `${l.who}: listen(${l.socket}, backlog ${backlog}) can get ${count} connections while the program ${away}; node:net accepts every connection as it arrives, so the kernel's accept queue (backlog + 1) never fills`,
    });
  }
  return out;
}

/** How many connect() calls of the plan may reach the listener (Infinity inside repeat-until). */
function connectsTo(l: Listen, connects: Connect[]): number {
  let n = 0;
  for (const c of connects) {
    const m = /^(.*):(\d+)$/.exec(c.to);
    if (!m || Number(m[2]) !== l.port) continue;
    const host = m[1]!;
    const anyAddress = l.address === '0.0.0.0';
    const boundHost = l.address === '' || l.address === undefined ? l.host : l.address;
    // A literal address may be any host's (the plan's hosts map is not known here): counted.
    if (anyAddress || host === boundHost || /^\d+\.\d+\.\d+\.\d+$/.test(host)) n += c.times;
  }
  return n;
}

/** What keeps the listening program from accept() between listen() and its last accept(), or undefined. */
function awayFromAccept(flat: Flat[], l: Listen): string | undefined {
  const start = flat.findIndex((f) => f.step === l.step);
  const isAccept = (f: Flat) => f.step.call === 'accept' && f.step.args.socket === l.socket;
  let last = -1;
  for (let k = start + 1; k < flat.length; k++) if (isAccept(flat[k]!)) last = k;
  if (last < 0) return 'never accepts';
  // A loop around the last accept (and not around the listen) runs its whole body between accepts.
  const loop = flat[last]!.repeats.find((r) => !flat[start]!.repeats.includes(r));
  let end = last;
  if (loop) while (end + 1 < flat.length && flat[end + 1]!.repeats.includes(loop)) end++;
  for (let k = start + 1; k <= end; k++) {
    const f = flat[k]!;
    if (f.step.at !== undefined) return `waits for at=${f.step.at / 1e6}s before ${describeStep(f.step)}`;
    if (isAccept(f)) continue;
    if (BLOCKING.has(f.step.call)) return `is in ${describeStep(f.step)}`;
  }
  return undefined;
}
