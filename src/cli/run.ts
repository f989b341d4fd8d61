// `synack run NAME`: run a scenario, print its ladder and summary, or its trace as JSON.
import { LadderWidthError, renderLadder } from '../render/ladder.js';
import { summarizeTrace } from '../render/summary.js';
import type { Scenario } from '../scenarios/types.js';
import { UsageError } from './errors.js';
import { parseProfile, parseSeed, parseWidth } from './run-options.js';
import { didYouMean } from './suggest.js';

export interface RunFlags {
  profile?: string;
  seed?: string;
  width?: string;
  json?: boolean;
  timers?: boolean;
  absolute?: boolean;
}

export function findScenario(scenarios: readonly Scenario[], name: string): Scenario {
  const scenario = scenarios.find((s) => s.name === name);
  if (scenario) return scenario;
  const hint = didYouMean(
    name,
    scenarios.map((s) => s.name),
  );
  throw new UsageError(`unknown scenario "${name}"; ${hint || 'run "synack list" to see the scenarios'}`);
}

/** Checks every flag before anything runs, so a typo costs no simulation. */
export async function runScenario(
  scenarios: () => Promise<readonly Scenario[]>,
  name: string,
  flags: RunFlags,
): Promise<string> {
  const profile = parseProfile(flags.profile);
  const seed = parseSeed(flags.seed);
  const width = parseWidth(flags.width);
  const scenario = findScenario(await scenarios(), name);
  const trace = await scenario.run({ profile, seed });
  if (flags.json) return `${JSON.stringify(trace, null, 2)}\n`;
  const [left, right] = scenario.lifelines;
  let ladder: string;
  try {
    ladder = renderLadder(trace, { left, right, width, relative: !flags.absolute, timers: flags.timers === true });
  } catch (err) {
    if (err instanceof LadderWidthError) throw new UsageError(err.message);
    throw err;
  }
  return `${ladder}\n${summarizeTrace(trace, width)}\n`;
}
