// The invariants `synack run --invariants` and `synack check` run (src/check/command-invariants.ts), over a
// scenario run in the page, with the same context (each host's profile after the file's knobs, src/check/run.ts
// contextOf; src/cli/run-invariants.ts does the same for the command line). A counterexample that `synack check`
// found thus shows in the page where it broke a rule.
import { CHECK_INVARIANTS } from '../../../src/check/command-invariants.js';
import { contextOf } from '../../../src/check/run.js';
import type { Violation } from '../../../src/check/violation.js';
import type { ScenarioFile } from '../../../src/scenarios/file/schema.js';
import type { Trace } from '../../../src/sim/trace.js';
import type { ProfileName } from '../../../src/tcp/profile.js';

export interface InvariantResult {
  /** Trace event index -> the names of the invariants broken there, each once, in CHECK_INVARIANTS' order. */
  violations: Map<number, string[]>;
  /** Every violation, with its one-line message. */
  broken: Violation[];
}

export function runInvariants(trace: Trace, file: ScenarioFile, profile: ProfileName): InvariantResult {
  const context = contextOf(file, profile);
  const violations = new Map<number, string[]>();
  const broken: Violation[] = [];
  for (const inv of CHECK_INVARIANTS) {
    for (const v of inv.check(trace, context)) {
      broken.push(v);
      for (const index of v.events) {
        const names = violations.get(index) ?? [];
        if (!names.includes(inv.name)) names.push(inv.name);
        violations.set(index, names);
      }
    }
  }
  return { violations, broken };
}
