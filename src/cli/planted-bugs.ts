// The one way the command line plants protocol bugs (src/tcp/bugs.ts): the SYNACK_PLANT_BUG environment
// variable, a comma-separated list of bug names, for replaying a counterexample that `synack check` found with a
// bug planted (test/check/planted-bugs.test.ts). No flag sets it, and `--help` does not advertise it.
import { BUG_NAMES, isBugName, type BugName } from '../tcp/bugs.js';
import { UsageError } from './errors.js';

export const PLANT_BUG_VARIABLE = 'SYNACK_PLANT_BUG';

/** The planted bugs named by `text` (the variable's value), or undefined when it is unset or empty. */
export function plantedBugs(text: string | undefined = process.env[PLANT_BUG_VARIABLE]): ReadonlySet<BugName> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const bugs = new Set<BugName>();
  for (const name of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (!isBugName(name)) throw new UsageError(`${PLANT_BUG_VARIABLE}: unknown bug "${name}"; the bugs are: ${BUG_NAMES.join(', ')}`);
    bugs.add(name);
  }
  return bugs;
}

/** The warning written to stderr whenever a run has bugs planted, so nobody mistakes it for the engine's behaviour. */
export function plantedWarning(bugs: ReadonlySet<BugName>): string {
  return `synack: warning: test-only bugs planted in the engine by ${PLANT_BUG_VARIABLE}: ${[...bugs].join(', ')}\n`;
}
