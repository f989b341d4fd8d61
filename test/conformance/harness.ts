// One conformance case end to end: the scenario file in the simulator (linux profile), the same file on the kernel
// (a runner in a fresh namespace, tcpdump on lo, ss at the marks), and the three comparisons: packets (src/diff),
// call results and socket states.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diffNormalised, streams } from '../../src/diff/diff.js';
import { foldFinAcks } from '../../src/diff/fold.js';
import type { Divergence } from '../../src/diff/diff.js';
import { formatDiff } from '../../src/diff/format.js';
import { normalise } from '../../src/diff/normalise.js';
import type { Normalised } from '../../src/diff/normalise.js';
import { loadScenarioFile } from '../../src/scenarios/file/load.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import type { Trace } from '../../src/sim/trace.js';
import { runOnLoopback } from '../support/netns/run.js';
import type { ConformanceCase } from './cases.js';
import { alignToCalls, callAnchors } from './align.js';
import { diffCalls, diffStates, realStates, simStatesAt } from './compare.js';
import { parseRunnerOutput } from './runners/runner-output.js';
import type { CallLine } from './runners/runner-output.js';
import { loopbackScenario, realSetup } from './plan.js';
import type { RealSetup } from './plan.js';
import { nodeCannotExpress } from './runners/node-support.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RUNNERS = {
  node: fileURLToPath(new URL('./runners/scenario-runner.mjs', import.meta.url)),
  python: fileURLToPath(new URL('./runners/scenario_runner.py', import.meta.url)),
};
/** A bare ACK of a FIN this close before the same side's FIN-ACK is folded into it (src/diff/fold.ts). */
export const FIN_ACK_FOLD_US = 10_000;
/** The simulator's seed: any works (ISNs, ports and timestamps are normalised away); fixed for reproducibility. */
export const SEED = 1;

export interface CaseOutcome {
  name: string;
  runner: 'node' | 'python';
  /** Why python rather than node:net (nodeCannotExpress), when python ran it. */
  runnerWhy?: string;
  kernel: string;
  setup: RealSetup;
  sim: { trace: Trace; normal: Normalised };
  real: { pcap: Uint8Array; normal: Normalised; calls: CallLine[]; stdout: string; stderr: string };
  packets: Divergence[];
  calls: string[];
  /** Per mark (and "end") the state differences; only marks that differ are listed. */
  states: Array<{ mark: string; diff: string }>;
  same: boolean;
  /** Readable report of everything that differs ("" when same). */
  report: string;
  /** Bare ACKs of a FIN folded into the FIN-ACK right behind them (the jiffy race), per side. */
  folded: { model: number; kernel: number };
  /** The largest |t model - t kernel| over segments paired by the diff (same connection, direction and position), µs. */
  maxTimeOffset: number;
  /** Calls the runner made late whose lateness was taken out of the kernel's times (align.ts). */
  anchored: number;
}

/** Pairs the k-th segment of each direction of each connection on both sides; returns the largest time gap. */
export function maxTimeOffset(a: Normalised, b: Normalised): number {
  const sb = streams(b);
  let max = 0;
  for (const [conn, directions] of streams(a)) {
    for (const [from, as] of directions) {
      const bs = sb.get(conn)?.get(from) ?? [];
      for (let k = 0; k < Math.min(as.length, bs.length); k++) max = Math.max(max, Math.abs(as[k]!.t - bs[k]!.t));
    }
  }
  return max;
}

export function runnerFor(c: ConformanceCase, file: ReturnType<typeof loadScenarioFile>['file']): { runner: 'node' | 'python'; why?: string } {
  const why = nodeCannotExpress(file.programs);
  if (c.runner === 'node' && why) throw new Error(`case ${c.name} asks for node:net, but ${why}`);
  if (c.runner === 'python') return { runner: 'python', why: c.why ?? why ?? 'the case asks for python' };
  return why ? { runner: 'python', why } : { runner: 'node' };
}

export async function runCase(c: ConformanceCase): Promise<CaseOutcome> {
  const scenario = loopbackScenario(loadScenarioFile(`${REPO}${c.scenario}`, c.scenario));
  const sim = await scenario.execute!({ profile: 'linux', seed: SEED });
  const setup = realSetup(scenario, sim.trace, (c.marks ?? []).map((s) => Math.round(s * 1e6)), c.end === undefined ? undefined : Math.round(c.end * 1e6));
  const { runner, why } = runnerFor(c, scenario.file);
  const real = await runOnLoopback({
    program: { lang: runner, source: readFileSync(RUNNERS[runner], 'utf8'), files: { 'plan.json': JSON.stringify(setup.plan) } },
    sysctls: setup.sysctls,
    ...(setup.nft !== undefined ? { nft: setup.nft } : {}),
    loMtu: setup.loMtu,
    stopCaptureAtEnd: true,
    timeoutMs: setup.plan.end / 1000 + 10_000,
  });
  const output = parseRunnerOutput(real.stdout);
  const end = setup.plan.end;
  const simPackets = packetsFromTrace(sim.trace).filter((p) => p.t <= end);
  // The jiffy race of a FIN's ACK (src/diff/fold.ts) is luck on the kernel's side: folded away on both sides.
  const simFold = foldFinAcks(normalise(simPackets, { names: setup.names }), FIN_ACK_FOLD_US);
  const realFold = foldFinAcks(normalise(packetsFromCapture(real.pcap).packets, { names: setup.names }), FIN_ACK_FOLD_US);
  const simNormal = simFold.normal;
  // A call the loaded machine made late sends late: the kernel's times are counted from the calls (align.ts).
  const aligned = alignToCalls(realFold.normal, callAnchors(sim.trace, simNormal, output.calls));
  const realNormal = aligned.normal;
  const packets = diffNormalised(simNormal, realNormal, c.tolerance ? { tolerance: c.tolerance } : {});
  const calls = diffCalls(sim.trace, output.calls, end);
  const states: Array<{ mark: string; diff: string }> = [];
  for (const { name, t } of [...setup.plan.marks, { name: 'end', t: end }]) {
    const ss = real.ss[name];
    if (!ss) {
      states.push({ mark: name, diff: `no ss snapshot at ${name}` });
      continue;
    }
    const diff = diffStates(simStatesAt(sim.trace, t, { roles: simNormal.roles, names: setup.names }), realStates(ss, { roles: realNormal.roles, names: setup.names }));
    if (diff) states.push({ mark: name === 'end' ? `end (${(t / 1e6).toFixed(3)} s)` : `${(t / 1e6).toFixed(3)} s`, diff });
  }
  const same = packets.length === 0 && calls.length === 0 && states.length === 0;
  const report = same
    ? ''
    : [
        `case ${c.name} (${c.scenario}, runner ${runner}, kernel ${real.kernel})`,
        packets.length ? formatDiff(simNormal, realNormal, packets, { labels: ['model', 'kernel'], width: 140 }) : 'packets: same',
        ...calls.map((l) => `calls: ${l}`),
        ...states.map((s) => `states at ${s.mark}:\n${s.diff}`),
      ].join('\n');
  return {
    name: c.name,
    runner,
    ...(why ? { runnerWhy: why } : {}),
    kernel: real.kernel,
    setup,
    sim: { trace: sim.trace, normal: simNormal },
    real: { pcap: real.pcap, normal: realNormal, calls: output.calls, stdout: real.stdout, stderr: real.stderr },
    packets,
    calls,
    states,
    same,
    report,
    maxTimeOffset: maxTimeOffset(simNormal, realNormal),
    anchored: aligned.anchored,
    folded: { model: simFold.folded.length, kernel: realFold.folded.length },
  };
}

