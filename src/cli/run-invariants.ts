// `synack run FILE --invariants`: the invariants `synack check` runs, over this one run (how a counterexample
// written by `synack check` is replayed and seen to fail).
import { CHECK_INVARIANTS } from '../check/command-invariants.js';
import { contextOf } from '../check/run.js';
import { printable } from '../render/printable.js';
import type { FileScenario } from '../scenarios/file/build.js';
import type { Scenario } from '../scenarios/types.js';
import type { Trace } from '../sim/trace.js';
import type { ProfileName } from '../tcp/profile.js';

/** Lines for the run's output and how many invariants were broken. */
export function checkInvariants(scenario: Scenario, trace: Trace, profile: ProfileName): { text: string; broken: number } {
  const context = 'file' in scenario ? contextOf((scenario as FileScenario).file, profile) : {};
  const lines: string[] = [];
  let broken = 0;
  for (const inv of CHECK_INVARIANTS) {
    const violations = inv.check(trace, context);
    if (violations.length > 0) broken++;
    lines.push(violations.length === 0 ? `  ok    ${inv.name}` : `  FAIL  ${inv.name} (${inv.rfc}): ${printable(violations[0]!.message)}${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''}`);
  }
  return { text: `Invariants: ${CHECK_INVARIANTS.length - broken} of ${CHECK_INVARIANTS.length} hold\n${lines.join('\n')}\n`, broken };
}
