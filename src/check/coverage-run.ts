// Drives the statechart's paths through the engine: runs the coverage scenarios, reads each
// subject socket's chain of state events back from the trace, and matches every transition to a
// driven path that xstate/graph also generates (a simple path from CLOSED to the edge's source,
// then the edge). Coverage itself is computed from the traces alone (coverage.ts).
import { transition } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { parseScenarioText } from '../scenarios/file/parse.js';
import { scenarioFromFile } from '../scenarios/file/build.js';
import type { Trace } from '../sim/trace.js';
import { tcpMachine } from '../tcp/machine.js';
import type { ProfileName } from '../tcp/profile.js';
import type { TcpEventType, TcpState } from '../tcp/states.js';
import { COVERAGE_SCENARIOS, type CoverageScenario, type Subject } from './coverage-scenarios.js';
import { expectedTransitions, timeWaitRestarts, transitionCoverage, type CoverageReport } from './coverage.js';

/** One step of a chain: the statechart event and the state it led to. */
export interface ChainStep {
  readonly from: TcpState;
  readonly event: TcpEventType;
  readonly to: TcpState;
  readonly t: number;
}

export interface ScenarioRun {
  readonly scenario: CoverageScenario;
  readonly trace: Trace;
  /** Step expectations (`expect: ECONNRESET`...) that did not hold: what the scenario meant to do did not happen. */
  readonly failedChecks: readonly string[];
  readonly chains: ReadonlyArray<{ subject: Subject; steps: readonly ChainStep[] }>;
}

/** A transition and the path that drove the engine through it. */
export interface DrivenPath {
  readonly from: TcpState;
  readonly event: TcpEventType;
  readonly to: TcpState;
  /** The scenario and subject whose chain took it. */
  readonly scenario: string;
  readonly subject: Subject;
  /** Events from CLOSED, the last one the edge's: a prefix of the subject's chain. */
  readonly events: readonly TcpEventType[];
  /** The prefix (events but the last) is one of xstate/graph's simple paths to `from`. */
  readonly graphPath: boolean;
}

const portOf = (endpoint: string | undefined): number | undefined =>
  endpoint === undefined ? undefined : Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));

/** The scenario as a file scenario (its YAML), ready to run. */
export function scenarioText(sc: CoverageScenario): string {
  return `name: ${sc.name}\nsummary: ${JSON.stringify(sc.summary)}\n${sc.body}`;
}

/**
 * The chain of a subject: the state events of the first socket on `host` with local port `port`
 * and peer port `peer` (a listener when `peer` is absent). A passive child's chain starts in
 * LISTEN, so it is continued from the listener's CLOSED -> LISTEN. A TIME_WAIT restart by a
 * repeated FIN (coverage.ts) is a TIME_WAIT -> TIME_WAIT step.
 */
export function subjectChain(trace: Trace, subject: Subject): ChainStep[] {
  const onPort = trace.events.filter(
    (e): e is Extract<typeof e, { kind: 'state' }> => e.kind === 'state' && e.host === subject.host && portOf(e.endpoint) === subject.port,
  );
  const mine = onPort.filter((e) => (subject.peer === undefined ? e.peer === undefined : portOf(e.peer) === subject.peer));
  const socket = mine[0]?.socket;
  if (socket === undefined) return [];
  const events = mine.filter((e) => e.socket === socket);
  if (events[0]!.from === 'LISTEN') {
    const listen = onPort.find((e) => e.peer === undefined && e.to === 'LISTEN' && e.t <= events[0]!.t);
    if (listen) events.unshift(listen);
  }
  const steps: ChainStep[] = events.map((e) => ({ from: e.from as TcpState, event: e.cause as TcpEventType, to: e.to as TcpState, t: e.t }));
  for (const r of timeWaitRestarts(trace).filter((r) => r.host === subject.host && r.socket === socket)) {
    const at = steps.findIndex((s) => s.t > r.t);
    const step: ChainStep = { from: 'TIME_WAIT', event: 'RCV_FIN', to: 'TIME_WAIT', t: r.t };
    if (at < 0) steps.push(step);
    else steps.splice(at, 0, step);
  }
  return steps;
}

/** Runs one coverage scenario under `profile` (seed 1). */
export async function runCoverageScenario(sc: CoverageScenario, profile: ProfileName, seed = 1): Promise<ScenarioRun> {
  const file = parseScenarioText(scenarioText(sc), `coverage/${sc.name}.yaml`);
  const result = await scenarioFromFile(file, sc.name, `coverage/${sc.name}.yaml`).execute!({ profile, seed });
  const failedChecks = result.checks.filter((c) => !c.ok).map((c) => `${c.what}${c.actual !== undefined ? ` (got ${c.actual})` : ''}`);
  return { scenario: sc, trace: result.trace, failedChecks, chains: sc.subjects.map((subject) => ({ subject, steps: subjectChain(result.trace, subject) })) };
}

/** The coverage scenarios that run under `profile`. */
export function scenariosFor(profile: ProfileName): CoverageScenario[] {
  return COVERAGE_SCENARIOS.filter((sc) => sc.profiles === undefined || sc.profiles.includes(profile));
}

/** Event sequences of xstate/graph's simple paths from CLOSED, by end state ("" joins events). */
export function simplePathsByState(): Map<TcpState, Set<string>> {
  const out = new Map<TcpState, Set<string>>();
  for (const path of getSimplePaths(tcpMachine)) {
    const state = path.state.value as TcpState;
    const events = path.steps.slice(1).map((s) => s.event.type).join(' ');
    out.set(state, (out.get(state) ?? new Set()).add(events));
  }
  return out;
}

/** Replays events from CLOSED through the xstate machine itself; the states, or undefined if one is not accepted. */
export function replayInChart(events: readonly TcpEventType[]): TcpState[] | undefined {
  let snapshot = tcpMachine.resolveState({ value: 'CLOSED' });
  const states: TcpState[] = ['CLOSED'];
  for (const type of events) {
    if (!snapshot.can({ type })) return undefined;
    [snapshot] = transition(tcpMachine, snapshot, { type });
    states.push(snapshot.value as TcpState);
  }
  return states;
}

/** For each expected transition, the first driven path that takes it (in scenario order), if any. */
export function drivenPaths(runs: readonly ScenarioRun[], profile: ProfileName): Map<string, DrivenPath> {
  const simple = simplePathsByState();
  const found = new Map<string, DrivenPath>();
  const wanted = new Set(expectedTransitions(profile).map((t) => `${t.from} ${t.event} ${t.to}`));
  for (const run of runs) {
    for (const { subject, steps } of run.chains) {
      steps.forEach((s, i) => {
        const k = `${s.from} ${s.event} ${s.to}`;
        if (!wanted.has(k) || found.has(k)) return;
        const events = steps.slice(0, i + 1).map((x) => x.event);
        const prefix = events.slice(0, -1).join(' ');
        const graphPath = (s.from === 'CLOSED' && prefix === '') || (simple.get(s.from)?.has(prefix) ?? false);
        found.set(k, { from: s.from, event: s.event, to: s.to, scenario: run.scenario.name, subject, events, graphPath });
      });
    }
  }
  return found;
}

/** Runs every coverage scenario under `profile` and reports coverage from their traces. */
export async function runTransitionCoverage(profile: ProfileName): Promise<{ runs: ScenarioRun[]; report: CoverageReport; paths: Map<string, DrivenPath> }> {
  const runs: ScenarioRun[] = [];
  for (const sc of scenariosFor(profile)) runs.push(await runCoverageScenario(sc, profile));
  return { runs, report: transitionCoverage(runs.map((r) => r.trace), { profile }), paths: drivenPaths(runs, profile) };
}
