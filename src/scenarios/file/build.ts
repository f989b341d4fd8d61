// A validated scenario file -> a runnable Scenario: the world (hosts, links, faults, injected segments),
// one program per entry, and the file's expectations checked when the run ends.
import type { Fault } from '../../sim/faults.js';
import { World } from '../../sim/world.js';
import { program as spawnProgram } from '../../socket/index.js';
import { PROFILES, withKnobs, type Profile, type ProfileName } from '../../tcp/profile.js';
import type { RunOptions, Scenario, ScenarioResult } from '../types.js';
import { scheduleInjection } from './inject.js';
import { checkExpectations } from './checks.js';
import { DEFAULT_BUDGET, type RunBudget } from './limits.js';
import { ProgramState, runProgram, StepBudget, type CheckResult } from './program.js';
import type { ScenarioFile } from './schema.js';

export interface FileScenario extends Scenario {
  /** Where it came from: a path, or "built-in". */
  source: string;
  file: ScenarioFile;
}

/** `budget`: what one run may do before it stops with a RunBudgetError (src/sim/world.ts); tests lower it. */
export function scenarioFromFile(file: ScenarioFile, name: string, source: string, budget: RunBudget = DEFAULT_BUDGET): FileScenario {
  const hosts = Object.keys(file.hosts);
  const scenario: FileScenario = {
    name: file.name ?? name,
    summary: file.summary,
    lifelines: file.lifelines ?? [hosts[0]!, hosts[1]!],
    source,
    file,
    async run(options) {
      return (await this.execute!(options)).trace;
    },
    execute: (options) => execute(file, scenario.name, options, budget),
  };
  return scenario;
}

async function execute(file: ScenarioFile, name: string, options: RunOptions, budget: RunBudget): Promise<ScenarioResult> {
  const planted = (p: Profile): Profile => (options.bugs && options.bugs.size > 0 ? { ...p, bugs: options.bugs } : p); // tests only
  const base = planted(withKnobs(PROFILES[options.profile], (file.knobs ?? {}) as Partial<Profile>));
  const world = new World({
    seed: options.seed,
    profile: base,
    scenario: name,
    ...(file.link ? { link: file.link } : {}),
    links: file.links,
    faults: file.faults,
    ...(file.until !== undefined ? { until: file.until } : {}),
    maxEvents: budget.events,
  });
  // Host names are the file's: look them up in maps with no prototype (a host may be called "constructor").
  const profileOf: Record<string, ProfileName> = Object.create(null) as Record<string, ProfileName>;
  for (const [hostName, h] of Object.entries(file.hosts)) {
    profileOf[hostName] = h.profile ?? options.profile;
    const own = h.profile ? withKnobs(PROFILES[h.profile], (file.knobs ?? {}) as Partial<Profile>) : base;
    const profile = planted(withKnobs(own, (h.knobs ?? {}) as Partial<Profile>));
    world.addHost({ name: hostName, address: h.address, profile, ...(h.mtu !== undefined ? { mtu: h.mtu } : {}) });
  }
  const addressOf = (place: string) => (Object.hasOwn(file.hosts, place) ? file.hosts[place]!.address : place);
  const checks: CheckResult[] = [];
  for (const inj of file.inject) scheduleInjection(world, inj, addressOf, (what) => checks.push({ what, ok: false, actual: 'no such connection' }));

  // Past the step budget, a wake-up that throws ends world.run() with the error at this same instant.
  const steps = new StepBudget(budget.steps, (err) => world.at(world.now, () => {
    throw err;
  }));
  const states = new Map<string, ProgramState[]>();
  for (const p of file.programs) {
    const state = new ProgramState(p.name ?? p.host);
    states.set(p.host, [...(states.get(p.host) ?? []), state]);
    spawnProgram(world, p.host, p.name ?? p.host, (net) => runProgram(net, p.host, p.steps, profileOf[p.host]!, state, checks, steps), p.start / 1e6);
  }
  const trace = await world.run();
  checks.push(...checkExpectations(file.expect, trace, states, profileOf));
  return { trace, checks, warnings: unfiredFaults(world, file.faults) };
}

/** Issue 12: a fault that never fires (drop the 3rd data segment of a run with two) is told, not silently ignored. */
function unfiredFaults(world: World, faults: readonly Fault[]): string[] {
  return world.faultStats().flatMap((f, i) => {
    if (f.applied > 0) return [];
    const nth = faults[i]?.nth ?? 1;
    const seen =
      f.matched === 0 ? 'no packet matched it'
      : f.matched < nth ? `only ${f.matched} packet${f.matched === 1 ? '' : 's'} matched it`
      : 'an earlier fault acted on the packets it matched';
    return [`fault #${i + 1} "${f.description}" never fired: ${seen}`];
  });
}
