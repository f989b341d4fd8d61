// One scenario file, two ways: the simulator's run (on a link as fast as loopback) and the plan a real-socket runner
// executes in a namespace (test/conformance/runners, contract in runners/README.md). Hosts become addresses on lo,
// knobs sysctls, faults nft rules; the plan ends a little after the simulator's last packet or call.
import type { FileScenario } from '../../src/scenarios/file/build.js';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import type { ProgramSpec, ScenarioFile } from '../../src/scenarios/file/schema.js';
import type { Trace } from '../../src/sim/trace.js';
import { mtuFor, nftFor, NotReproducible, sysctlsFor } from './kernel-setup.js';

/** One-way delay of the simulator's links for a case: none. On lo a segment is received, and answered, inside the call that sent it (World delivers zero-latency segments that way). */
export const LOOPBACK_LATENCY_US = 0;
/** How long the real run goes on after the simulator's last packet or call. */
export const END_MARGIN_US = 300_000;
/**
 * `ss` is compared only at moments at least this far from any state change of the model: the kernel's programs run
 * a few ms late under load, and its timers have slack, so a snapshot next to a transition would catch either side.
 */
export const MARK_GUARD_US = 25_000;

export interface RealPlan {
  hosts: Record<string, string>;
  programs: ProgramSpec[];
  marks: Array<{ name: string; t: number }>;
  end: number;
}

/** The moments of the model's state changes. */
function stateChanges(trace: Trace): number[] {
  return trace.events.filter((e) => e.kind === 'state').map((e) => e.t);
}

export interface RealSetup {
  plan: RealPlan;
  sysctls: Record<string, string>;
  nft: string | undefined;
  loMtu: number;
  /** Host name of every address, simulated and real, for naming roles in the diff. */
  names: Record<string, string>;
  /** Times (µs) of the file's `state ... at` expectations not compared, being too close to a state change. */
  skippedMarks: number[];
}

/** A plan for the file's programs that ends at `end` with `ss` at `marks` (all µs); hosts as realAddresses. */
export function planFor(file: ScenarioFile, end: number, marks: readonly number[] = []): RealPlan {
  return {
    hosts: realAddresses(file),
    programs: file.programs,
    marks: [...marks].sort((a, b) => a - b).map((t) => ({ name: markName(t), t })),
    end,
  };
}

/** Host k (in file order) lives at 127.0.0.(11 + k) on the namespace's lo. */
export function realAddresses(file: ScenarioFile): Record<string, string> {
  const hosts = Object.keys(file.hosts);
  if (hosts.length > 200) throw new NotReproducible('more than 200 hosts');
  return Object.fromEntries(hosts.map((h, k) => [h, `127.0.0.${11 + k}`]));
}

/** Host name of every address, the file's and the one on lo, for naming roles in the diff. */
export function hostNames(file: ScenarioFile): Record<string, string> {
  const real = realAddresses(file);
  const names: Record<string, string> = {};
  for (const [name, h] of Object.entries(file.hosts)) {
    names[h.address] = name;
    names[real[name]!] = name;
  }
  return names;
}

/** The same file with every link as fast as loopback (faults, knobs and programs untouched). */
export function loopbackScenario(s: FileScenario): FileScenario {
  const f = s.file;
  if (f.inject.length > 0) throw new NotReproducible('injected segments need a raw socket; the runners only make socket calls');
  const slow = [f.link, ...f.links.map((l) => l.config)].find(
    (l) => l && (l.loss || l.duplicate || l.reorder || l.jitter || l.bandwidth),
  );
  if (slow) throw new NotReproducible('random loss, duplication, reordering, jitter or bandwidth on a link cannot be reproduced on lo');
  const fast = { latency: LOOPBACK_LATENCY_US };
  const file: ScenarioFile = { ...f, link: fast, links: f.links.map((l) => ({ ...l, config: fast })) };
  return scenarioFromFile(file, s.name, s.source);
}

/** When the simulated run stops doing anything visible: its last packet or completed call. */
export function lastActivity(trace: Trace): number {
  let last = 0;
  for (const e of trace.events) if (e.kind === 'segment' || e.kind === 'call' || e.kind === 'datagram') last = Math.max(last, e.t);
  return last;
}

export function markName(t: number): string {
  return `t${t}`;
}

/** The real run's plan and namespace settings, given the simulator's trace of the same file. */
export function realSetup(s: FileScenario, simTrace: Trace, extraMarks: readonly number[] = [], endOverride?: number): RealSetup {
  const file = s.file;
  const hosts = realAddresses(file);
  // A fault names a host by its name or by its address in the file.
  const byFileAddress = Object.fromEntries(Object.entries(file.hosts).map(([name, h]) => [h.address, hosts[name]!]));
  const addressOf = (place: string): string | undefined => hosts[place] ?? byFileAddress[place];
  const changes = stateChanges(simTrace);
  const nearChange = (t: number) => changes.some((c) => Math.abs(c - t) < MARK_GUARD_US);
  for (const t of extraMarks) {
    if (nearChange(t)) throw new Error(`mark at ${t / 1e6} s is within ${MARK_GUARD_US / 1000} ms of a state change of the model; move it`);
  }
  const markTimes = new Set<number>(extraMarks);
  const skippedMarks: number[] = [];
  for (const e of file.expect) {
    if (e.at === undefined || e.state === undefined || e.profile === 'rfc9293') continue;
    if (nearChange(e.at)) {
      if (!skippedMarks.includes(e.at)) skippedMarks.push(e.at);
    }
    else markTimes.add(e.at);
  }
  const end = endOverride ?? Math.max(lastActivity(simTrace), ...markTimes) + END_MARGIN_US;

  return {
    plan: planFor(file, end, [...markTimes].filter((t) => t < end)),
    sysctls: sysctlsFor(file),
    nft: nftFor(file, addressOf),
    loMtu: mtuFor(file),
    names: hostNames(file),
    skippedMarks,
  };
}
