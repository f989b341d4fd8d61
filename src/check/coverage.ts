// Transition coverage (issue 12): which states and which transitions of the connection statechart
// (src/tcp/machine.ts) the traces show the engine taking. Only what a trace records counts: a
// (from, cause, to) triple of a state event, cause being the statechart event. The one self-loop,
// TIME_WAIT + RCV_FIN (RFC 9293 3.10.7.4: ACK the repeated FIN, restart 2MSL), changes no state, so
// it has no state event; it is counted from its own trace record instead: the 2MSL timer set again
// on a socket that is in TIME_WAIT.
import type { StateEvent, TimerEvent, Trace } from '../sim/trace.js';
import type { TransitionOrigin } from '../tcp/machine.js';
import { TCP_STATES, type TcpEventType, type TcpState } from '../tcp/states.js';
import { TRANSITIONS, type TcpTransition } from '../tcp/transitions.js';

export interface StateCoverage {
  readonly state: TcpState;
  readonly reached: boolean;
}

export interface TransitionCoverage {
  readonly from: TcpState;
  readonly event: TcpEventType;
  readonly to: TcpState;
  readonly origin: TransitionOrigin;
  readonly reached: boolean;
  /** The first trace (its scenario name) that shows it, when reached. */
  readonly scenario?: string;
}

export interface CoverageReport {
  readonly states: readonly StateCoverage[];
  readonly transitions: readonly TransitionCoverage[];
  /** Reached transitions out of those expected, 0-100. */
  readonly percent: number;
  /** Reached states out of the eleven, 0-100. */
  readonly statesPercent: number;
}

export interface CoverageOptions {
  /**
   * Which edges are expected: those the chart gives to the profile (expectedTransitions): the orphaned
   * FIN_WAIT_2 timeout only under linux, LISTEN + SEND only under rfc9293. Default: linux when every trace ran under linux, else rfc9293.
   */
  readonly profile?: 'linux' | 'rfc9293';
}

const key = (from: string, event: string, to: string) => `${from} ${event} ${to}`;

/**
 * The transitions a profile's engine is expected to take: those the chart gives to this profile ('linux'
 * edges under linux only; LISTEN + SEND under rfc9293 only, Linux refuses it: `notTakenBecause`).
 */
export function expectedTransitions(profile: 'linux' | 'rfc9293'): TcpTransition[] {
  return TRANSITIONS.filter((t) => t.profiles.includes(profile));
}

/** The chart's edges a profile never takes, by design (the chart says why). */
export function excludedTransitions(profile: 'linux' | 'rfc9293'): TcpTransition[] {
  return TRANSITIONS.filter((t) => !t.profiles.includes(profile));
}

/**
 * TIME_WAIT + RCV_FIN, seen in a trace: a 'timeWait' timer set on a socket after the one set on
 * entering TIME_WAIT, with no state event in between (only a repeated FIN restarts it, 3.10.7.4).
 */
export function timeWaitRestarts(trace: Trace): Array<{ host: string; socket: number; t: number }> {
  const inTimeWait = new Map<string, number>(); // host#socket -> timeWait sets since entering TIME_WAIT
  const found: Array<{ host: string; socket: number; t: number }> = [];
  for (const ev of trace.events) {
    if (ev.kind === 'state') {
      const id = `${ev.host}#${ev.socket}`;
      if (ev.to === 'TIME_WAIT') inTimeWait.set(id, 0);
      else inTimeWait.delete(id);
    } else if (ev.kind === 'timer' && ev.timer === 'timeWait' && ev.action === 'set' && ev.socket !== undefined) {
      const id = `${ev.host}#${ev.socket}`;
      const sets = inTimeWait.get(id);
      if (sets === undefined) continue;
      if (sets >= 1) found.push({ host: ev.host, socket: ev.socket, t: ev.t });
      inTimeWait.set(id, sets + 1);
    }
  }
  return found;
}

/** Every (from, cause, to) a trace shows, self-loops included, each with the first event showing it. */
export function triplesOf(trace: Trace): Map<string, StateEvent | TimerEvent> {
  const seen = new Map<string, StateEvent | TimerEvent>();
  for (const ev of trace.events) {
    if (ev.kind !== 'state') continue;
    const k = key(ev.from, ev.cause, ev.to);
    if (!seen.has(k)) seen.set(k, ev);
  }
  const restart = timeWaitRestarts(trace)[0];
  if (restart !== undefined) {
    const k = key('TIME_WAIT', 'RCV_FIN', 'TIME_WAIT');
    const ev = trace.events.find((e): e is TimerEvent => e.kind === 'timer' && e.t === restart.t && e.socket === restart.socket);
    if (!seen.has(k) && ev) seen.set(k, ev);
  }
  return seen;
}

/** Coverage of the chart's states and transitions by `traces`. */
export function transitionCoverage(traces: readonly Trace[], options: CoverageOptions = {}): CoverageReport {
  const profile = options.profile ?? (traces.length > 0 && traces.every((t) => t.profile === 'linux') ? 'linux' : 'rfc9293');
  const firstSeen = new Map<string, string>();
  const statesSeen = new Set<string>();
  for (const trace of traces) {
    for (const k of triplesOf(trace).keys()) if (!firstSeen.has(k)) firstSeen.set(k, trace.scenario);
    for (const ev of trace.events) {
      if (ev.kind !== 'state') continue;
      statesSeen.add(ev.from);
      statesSeen.add(ev.to);
    }
  }
  const transitions = expectedTransitions(profile).map((t): TransitionCoverage => {
    const scenario = firstSeen.get(key(t.from, t.event, t.to));
    return { from: t.from, event: t.event, to: t.to, origin: t.origin, reached: scenario !== undefined, ...(scenario !== undefined ? { scenario } : {}) };
  });
  const states = TCP_STATES.map((state) => ({ state, reached: statesSeen.has(state) }));
  const pct = (n: number, of: number) => (of === 0 ? 100 : Math.round((1000 * n) / of) / 10);
  return {
    states,
    transitions,
    percent: pct(transitions.filter((t) => t.reached).length, transitions.length),
    statesPercent: pct(states.filter((s) => s.reached).length, states.length),
  };
}

/** The report as a plain-text table: every state, then every transition, reached or not. */
export function formatCoverage(report: CoverageReport): string {
  const lines: string[] = [];
  const reachedStates = report.states.filter((s) => s.reached).length;
  lines.push(`states: ${reachedStates}/${report.states.length} (${report.statesPercent}%)`);
  for (const s of report.states) lines.push(`  ${s.reached ? 'reached    ' : 'NOT REACHED'}  ${s.state}`);
  const reached = report.transitions.filter((t) => t.reached).length;
  lines.push(`transitions: ${reached}/${report.transitions.length} (${report.percent}%)`);
  const width = Math.max(...report.transitions.map((t) => `${t.from} + ${t.event} -> ${t.to}`.length));
  for (const t of report.transitions) {
    const edge = `${t.from} + ${t.event} -> ${t.to}`.padEnd(width);
    lines.push(`  ${t.reached ? 'reached    ' : 'NOT REACHED'}  ${edge}  ${t.origin.padEnd(6)}  ${t.scenario ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}
