// What `synack check` does, as a library function (test/check/planted-bugs.test.ts calls it): runs the invariants
// (and, for a scenario file, the file's own expectations) over many runs chosen by fast-check, and on the first
// failure shrinks it to a smallest counterexample: a scenario file as written, with the profile and seed that
// make it fail. Without a file the runs are random scenarios (arbitraryScenario plus forged segments); with one,
// that file across seeds and, given a range, loss rates of its default link.
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';
import { parseScenarioText, parseScenarioValue } from '../scenarios/file/parse.js';
import { scenarioFromFile } from '../scenarios/file/build.js';
import type { Trace } from '../sim/trace.js';
import { RunBudgetError } from '../sim/world.js';
import type { BugName } from '../tcp/bugs.js';
import type { ProfileName } from '../tcp/profile.js';
import { arbitraryScenario } from './arbitraries/scenario.js';
import { arbitraryForgedSegments } from './command-forged.js';
import { CHECK_INVARIANTS } from './command-invariants.js';
import { contextOf } from './run.js';
import type { ScenarioText } from './scenario-text.js';

export interface CheckRunOptions {
  /** How many runs (fast-check numRuns). */
  runs: number;
  /** fast-check's seed: the same seed checks the same runs. */
  seed: number;
  profile: ProfileName;
  /** Loss of the default link, a range of probabilities [low, high]; undefined: as generated, or the file's own. */
  loss?: readonly [number, number];
  /** Stop after this many milliseconds of wall time (what ran held: no failure). */
  timeBudgetMs?: number;
  /** A scenario file to check instead of random scenarios: its text as written, and its name. */
  file?: { text: string; name: string };
  /** Test only: protocol bugs planted in the engine (src/tcp/bugs.ts). */
  bugs?: ReadonlySet<BugName>;
  /** Told after each run before a failure (done so far), and while shrinking. */
  onRun?: (done: number, shrinking: boolean) => void;
}

/** One run: a scenario file's text, and the profile and seed it runs with. */
export interface CheckCase {
  name: string;
  text: string;
  profile: ProfileName;
  seed: number;
  /**
   * The same scenario as plain data, when it was made as data (a random scenario): run from this, with no YAML
   * parse; `text` (its YAML) is then written only when read. The counterexample reported is run again from its text.
   */
  value?: unknown;
}

export interface Problem {
  /** An invariant's name, "expectation", or "run" (the run itself failed: its budget, an internal error). */
  kind: string;
  rfc?: string;
  message: string;
  /** Indexes into trace.events. */
  events: number[];
}

export interface CheckFailure {
  /** The smallest failing run fast-check found. */
  case: CheckCase;
  trace?: Trace;
  problems: Problem[];
  /** The run (1-based) that first failed, and how many shrinking steps followed. */
  foundAtRun: number;
  shrinks: number;
}

export interface CheckReport {
  /** Runs made before the first failure, or all of them. */
  runs: number;
  /** The time budget ended it before `runs`. */
  interrupted: boolean;
  failure?: CheckFailure;
}

const MAX_SEED = 2 ** 32 - 1;

/** Loss as a file writes it: "2.5%". */
function lossText(permyriad: number): string {
  return `${permyriad / 100}%`;
}

function lossArbitrary(loss: readonly [number, number]): fc.Arbitrary<number> {
  return fc.integer({ min: Math.round(loss[0] * 10000), max: Math.round(loss[1] * 10000) });
}

/** Random scenarios: arbitraryScenario, with forged segments (RFC 5961's blind attacks) added. Exported for its test. */
export function randomCases(options: CheckRunOptions): fc.Arbitrary<CheckCase> {
  const loss = options.loss ? lossArbitrary(options.loss).map((n): number | undefined => n) : fc.constant(undefined);
  return fc
    .record({ scenario: arbitraryScenario({ maxClients: 3 }), forged: arbitraryForgedSegments(), seed: fc.integer({ min: 0, max: MAX_SEED }), loss })
    .map(({ scenario, forged, seed, loss }): CheckCase => {
      const file: ScenarioText = { name: 'random', ...scenario, ...(forged.length > 0 ? { inject: forged } : {}) };
      if (loss !== undefined) file.link = { ...(file.link ?? {}), loss: loss / 10000 };
      // The data a YAML parse of the text would give (JSON keeps what YAML keeps of it: no undefined fields).
      const value = JSON.parse(JSON.stringify(file)) as unknown;
      let text: string | undefined;
      return {
        name: 'random',
        get text() {
          return (text ??= stringify(file));
        },
        profile: options.profile,
        seed,
        value,
      };
    });
}

/** A file across seeds and, with a range, loss rates of its default link (its comments kept). */
function fileCases(options: CheckRunOptions, file: { text: string; name: string }): fc.Arbitrary<CheckCase> {
  const loss = options.loss ? lossArbitrary(options.loss).map((n): number | undefined => n) : fc.constant(undefined);
  return fc.record({ seed: fc.integer({ min: 0, max: MAX_SEED }), loss }).map(({ seed, loss }) => ({
    name: file.name,
    text: loss === undefined ? file.text : withLoss(file.text, file.name, loss),
    profile: options.profile,
    seed,
  }));
}

/** The file's text with `link: { loss }` set, as YAML (JSON is YAML too). */
function withLoss(text: string, name: string, permyriad: number): string {
  const doc = parseScenarioYaml(text, name);
  doc.setIn(['link', 'loss'], lossText(permyriad));
  return doc.toString();
}

function parseScenarioYaml(text: string, name: string) {
  parseScenarioText(text, name); // a clear ScenarioFileError first
  return parseDocument(text);
}

/** Runs one case: the file's expectations, then every invariant. */
export async function runCase(c: CheckCase, bugs?: ReadonlySet<BugName>): Promise<{ trace?: Trace; problems: Problem[] }> {
  const file = (c.value !== undefined ? parseScenarioValue(c.value) : undefined) ?? parseScenarioText(c.text, c.name);
  const scenario = scenarioFromFile(file, c.name, 'synack check');
  let result;
  try {
    result = await scenario.execute!({ profile: c.profile, seed: c.seed, ...(bugs && bugs.size > 0 ? { bugs } : {}) });
  } catch (err) {
    const message = err instanceof RunBudgetError ? `the run did not end within its budget: ${err.message}` : `the run failed: ${err instanceof Error ? err.message : String(err)}`;
    return { problems: [{ kind: 'run', message, events: [] }] };
  }
  const { trace, checks } = result;
  // A forged segment with nothing to be relative to is not sent: that is the generator's miss, not a failure.
  const expectations = checks.filter((x) => !x.ok && x.actual !== 'no such connection');
  const problems: Problem[] = expectations.map((x) => ({ kind: 'expectation', message: `${x.what} (got ${x.actual ?? '?'})`, events: [] }));
  const context = contextOf(file, c.profile);
  for (const inv of CHECK_INVARIANTS) {
    for (const v of inv.check(trace, context)) problems.push({ kind: v.invariant, rfc: v.rfc, message: v.message, events: v.events });
  }
  return { trace, problems };
}

export async function checkProperties(options: CheckRunOptions): Promise<CheckReport> {
  const cases = options.file ? fileCases(options, options.file) : randomCases(options);
  let done = 0;
  let failedOnce = false;
  const property = fc.asyncProperty(cases, async (c) => {
    const { problems } = await runCase(c, options.bugs);
    if (!failedOnce) done++;
    if (problems.length > 0) failedOnce = true;
    options.onRun?.(done, failedOnce);
    return problems.length === 0;
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed | 0,
    ...(options.timeBudgetMs !== undefined ? { interruptAfterTimeLimit: options.timeBudgetMs, markInterruptAsFailure: false } : {}),
  });
  if (!details.failed || details.counterexample === null) return { runs: details.numRuns, interrupted: details.interrupted };
  const smallest = details.counterexample[0];
  // Again from its text, as a user who saves the counterexample will run it.
  const again = await runCase({ name: smallest.name, text: smallest.text, profile: smallest.profile, seed: smallest.seed }, options.bugs);
  return {
    runs: details.numRuns,
    interrupted: details.interrupted,
    failure: { case: smallest, ...(again.trace ? { trace: again.trace } : {}), problems: again.problems, foundAtRun: details.numRuns, shrinks: details.numShrinks },
  };
}
