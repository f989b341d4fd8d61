// Real traces for the invariant tests: the built-in scenarios run once per profile (cached), and a deep
// copy to break by hand.
import { SCENARIOS } from '../../../src/scenarios/index.js';
import type { FileScenario } from '../../../src/scenarios/file/build.js';
import type { Trace } from '../../../src/sim/trace.js';
import type { ProfileName } from '../../../src/tcp/profile.js';
import { contextOf } from '../../../src/check/index.js';
import type { CheckContext } from '../../../src/check/index.js';

const cache = new Map<string, Promise<{ trace: Trace; context: CheckContext }>>();

export function builtin(name: string, profile: ProfileName = 'linux'): Promise<{ trace: Trace; context: CheckContext }> {
  const key = `${name}/${profile}`;
  let run = cache.get(key);
  if (!run) {
    const s = SCENARIOS.find((x) => x.name === name) as FileScenario | undefined;
    if (!s) throw new Error(`no built-in scenario ${name}`);
    run = s.run({ profile, seed: 1 }).then((trace) => ({ trace, context: contextOf(s.file, profile) }));
    cache.set(key, run);
  }
  return run;
}

export const BUILTIN_NAMES = SCENARIOS.map((s) => s.name);

/** A deep copy to edit. */
export function copy(trace: Trace): Trace {
  return structuredClone(trace);
}
