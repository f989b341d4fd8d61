// Runs a built-in scenario for diagram tests (the engine under the linux profile, seed 1).
import { findScenario } from '../../../src/scenarios/index.js';
import type { Trace } from '../../../src/sim/trace.js';

const cache = new Map<string, Promise<Trace>>();

export function builtinTrace(name: string): Promise<Trace> {
  let trace = cache.get(name);
  if (!trace) {
    const scenario = findScenario(name);
    if (!scenario) throw new Error(`no built-in scenario ${name}`);
    trace = scenario.run({ profile: 'linux', seed: 1 });
    cache.set(name, trace);
  }
  return trace;
}
