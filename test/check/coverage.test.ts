// Transition coverage (issue 12): the coverage scenarios drive the engine along paths of the
// statechart that xstate/graph generates, and every state and transition of src/tcp/machine.ts is
// reached, under each profile (the edges the chart gives it: 'linux' edges under linux only), as the traces' state events show.
import { describe, expect, it } from 'vitest';
import { drivenPaths, replayInChart, runTransitionCoverage, subjectChain } from '../../src/check/coverage-run.js';
import { excludedTransitions, formatCoverage, transitionCoverage } from '../../src/check/coverage.js';
import type { StateEvent, TimerEvent, Trace } from '../../src/sim/trace.js';
import { TCP_STATES } from '../../src/tcp/states.js';
import { TRANSITIONS } from '../../src/tcp/transitions.js';


function trace(profile: string, events: Trace['events'], scenario = 'hand-made'): Trace {
  return { format: 'synack-trace', version: 1, scenario, profile, seed: 1, hosts: [], events };
}

function st(t: number, socket: number, from: string, cause: string, to: string): StateEvent {
  return { t, kind: 'state', host: 'a', endpoint: '10.0.0.1:50000', peer: '10.0.0.2:9000', socket, from, to, cause };
}

function tw(t: number, socket: number): TimerEvent {
  return { t, kind: 'timer', host: 'a', endpoint: '10.0.0.1:50000', socket, timer: 'timeWait', action: 'set', deadline: t + 60_000_000 };
}

describe('transitionCoverage on hand-made traces', () => {
  it('counts exactly the (from, cause, to) triples of state events', () => {
    const report = transitionCoverage([trace('rfc9293', [st(0, 1, 'CLOSED', 'ACTIVE_OPEN', 'SYN_SENT'), st(5, 1, 'SYN_SENT', 'RCV_RST', 'CLOSED')])]);
    const reached = report.transitions.filter((t) => t.reached).map((t) => `${t.from} ${t.event}`);
    expect(reached).toEqual(['CLOSED ACTIVE_OPEN', 'SYN_SENT RCV_RST']);
    expect(report.transitions).toHaveLength(47); // 48 edges less the Linux FIN_WAIT_2 timeout
    expect(report.percent).toBe(Math.round((1000 * 2) / 47) / 10);
    expect(report.states.filter((s) => s.reached).map((s) => s.state)).toEqual(['CLOSED', 'SYN_SENT']);
  });

  it("expects the 'linux' edge under linux only, and LISTEN + SEND under rfc9293 only", () => {
    const edges = (r: ReturnType<typeof transitionCoverage>) => r.transitions.map((t) => `${t.from} ${t.event}`);
    const linux = transitionCoverage([trace('linux', [])]);
    expect(linux.transitions).toHaveLength(47);
    expect(linux.transitions.find((t) => t.event === 'FIN_WAIT_2_TIMEOUT')?.origin).toBe('linux');
    expect(edges(linux)).not.toContain('LISTEN SEND');
    const rfc = transitionCoverage([trace('linux', [])], { profile: 'rfc9293' });
    expect(rfc.transitions.some((t) => t.origin === 'linux')).toBe(false);
    expect(edges(rfc)).toContain('LISTEN SEND');
    // The chart says why Linux never takes it; test/tcp/listen-send.test.ts shows the engine refusing it.
    expect(excludedTransitions('linux').map((t) => `${t.from} ${t.event} ${t.to}: ${t.notTakenBecause}`)).toEqual([
      expect.stringMatching(/^LISTEN SEND SYN_SENT: .*EISCONN/),
    ]);
  });

  it('counts TIME_WAIT + RCV_FIN from a second 2MSL timer set in TIME_WAIT, not from the first', () => {
    const enter = [st(0, 1, 'FIN_WAIT_2', 'RCV_FIN', 'TIME_WAIT'), tw(0, 1)];
    const selfLoop = (r: ReturnType<typeof transitionCoverage>) =>
      r.transitions.find((t) => t.from === 'TIME_WAIT' && t.event === 'RCV_FIN')!.reached;
    expect(selfLoop(transitionCoverage([trace('linux', enter)]))).toBe(false);
    expect(selfLoop(transitionCoverage([trace('linux', [...enter, tw(7, 1)])]))).toBe(true);
    // A set on another socket, or after leaving TIME_WAIT, is not a restart.
    expect(selfLoop(transitionCoverage([trace('linux', [...enter, tw(7, 2)])]))).toBe(false);
    expect(selfLoop(transitionCoverage([trace('linux', [...enter, st(8, 1, 'TIME_WAIT', 'ABORT', 'CLOSED'), tw(9, 1)])]))).toBe(false);
  });

  it('a table line per state and per transition, reached or not', () => {
    const text = formatCoverage(transitionCoverage([trace('linux', [st(0, 1, 'CLOSED', 'PASSIVE_OPEN', 'LISTEN')], 'demo')]));
    expect(text).toContain('reached      CLOSED + PASSIVE_OPEN -> LISTEN');
    expect(text).toMatch(/NOT REACHED {2}LISTEN \+ CLOSE -> CLOSED/);
    expect(text.split('\n')).toHaveLength(2 + TCP_STATES.length + TRANSITIONS.length - 1); // LISTEN + SEND not under linux
  });
});

describe('subjectChain', () => {
  it("continues a passive child's chain from its listener's CLOSED -> LISTEN", () => {
    const listen: StateEvent = { t: 0, kind: 'state', host: 's', endpoint: '0.0.0.0:9000', socket: 3, from: 'CLOSED', to: 'LISTEN', cause: 'PASSIVE_OPEN' };
    const child: StateEvent = { t: 2, kind: 'state', host: 's', endpoint: '10.0.0.2:9000', peer: '10.0.0.1:50000', socket: 4, from: 'LISTEN', to: 'SYN_RECEIVED', cause: 'RCV_SYN' };
    const chain = subjectChain(trace('linux', [listen, child]), { host: 's', port: 9000, peer: 50000 });
    expect(chain.map((s) => s.event)).toEqual(['PASSIVE_OPEN', 'RCV_SYN']);
  });
});

for (const profile of ['linux', 'rfc9293'] as const) {
  describe(`the coverage scenarios under ${profile}`, async () => {
    const { runs, report } = await runTransitionCoverage(profile);
    console.log(`transition coverage, profile ${profile}\n${formatCoverage(report)}`);

    it('do what each scenario means to do (its steps\u2019 expected results hold)', () => {
      for (const run of runs) expect(run.failedChecks, run.scenario.name).toEqual([]);
    });

    it('every subject socket has a chain that starts in CLOSED', () => {
      for (const run of runs) {
        for (const { subject, steps } of run.chains) {
          expect(steps.length, `${run.scenario.name} ${subject.host}:${subject.port}`).toBeGreaterThan(0);
          expect(steps[0]!.from).toBe('CLOSED');
        }
      }
    });

    it('each driven path is an xstate/graph simple path to the edge source, then the edge, and replays in the chart', () => {
      const paths = drivenPaths(runs, profile);
      expect(paths.size).toBeGreaterThan(0);
      for (const [k, p] of paths) {
        expect(p.graphPath, `${k}: ${p.events.join(' ')}`).toBe(true);
        const states = replayInChart(p.events);
        expect(states?.slice(-2), `${k}: ${p.events.join(' ')}`).toEqual([p.from, p.to]);
      }
    });

    it('reach all eleven states', () => {
      expect(report.states.filter((s) => !s.reached)).toEqual([]);
      expect(report.statesPercent).toBe(100);
    });

    it('reach every transition the chart gives the profile, each by a driven path', () => {
      const expected = TRANSITIONS.filter((t) => t.profiles.includes(profile));
      const unreached = report.transitions.filter((t) => !t.reached).map((t) => `${t.from} ${t.event} ${t.to}`);
      expect(unreached).toEqual([]);
      expect(report.transitions).toHaveLength(expected.length);
      expect(report.percent).toBe(100);
      const paths = drivenPaths(runs, profile);
      for (const t of report.transitions.filter((x) => x.reached)) {
        expect(paths.has(`${t.from} ${t.event} ${t.to}`), `${t.from} ${t.event}: no subject chain takes it`).toBe(true);
      }
    });
  });
}
