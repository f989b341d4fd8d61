// `synack run NAME|FILE`: run a scenario, print its ladder, summary and expectations, or its trace as JSON;
// optionally write the packets as a pcap/pcapng capture.
import { LadderWidthError, renderLadder } from '../render/ladder.js';
import { summarizeTrace } from '../render/summary.js';
import { ScenarioFileError } from '../scenarios/file/errors.js';
import { isScenarioPath, loadScenarioFile } from '../scenarios/file/load.js';
import type { RunOptions, Scenario, ScenarioResult } from '../scenarios/types.js';
import { RunBudgetError } from '../sim/world.js';
import { CheckFailed, UsageError } from './errors.js';
import { printable } from '../render/printable.js';
import { parseProfile, parseSeed, parseWidth } from './run-options.js';
import { didYouMean } from './suggest.js';
import type { BugName } from '../tcp/bugs.js';
import { writeJson, writeJsonPaced, type JsonOut } from './json-out.js';

export interface RunFlags {
  profile?: string;
  seed?: string;
  width?: string;
  json?: boolean;
  timers?: boolean;
  absolute?: boolean;
  pcap?: string;
  pcapng?: string;
  svg?: string;
  html?: string;
  mermaid?: boolean;
  theme?: string;
  invariants?: boolean;
}

export function findScenario(scenarios: readonly Scenario[], name: string): Scenario {
  const scenario = scenarios.find((s) => s.name === name);
  if (scenario) return scenario;
  const hint = didYouMean(
    name,
    scenarios.map((s) => s.name),
  );
  throw new UsageError(`unknown scenario "${name}"; ${hint || 'run "synack list" to see the scenarios, or give a .yaml/.json file'}`);
}

/** A built-in name, or a path to a scenario file (anything ending .yaml/.yml/.json or containing "/"). */
async function scenarioFor(scenarios: () => Promise<readonly Scenario[]>, nameOrPath: string): Promise<Scenario> {
  if (!isScenarioPath(nameOrPath)) return findScenario(await scenarios(), nameOrPath);
  try {
    return loadScenarioFile(nameOrPath);
  } catch (err) {
    // One line per problem; a user string's own newline or escape is shown, not obeyed (issue 10).
    if (err instanceof ScenarioFileError) throw new UsageError(problemLines(err), true);
    throw err;
  }
}

/** Checks every flag before anything runs, so a typo costs no simulation. */
export async function runScenario(
  scenarios: () => Promise<readonly Scenario[]>,
  name: string,
  flags: RunFlags,
  /** Text for the boundary to make printable; --json also writes printable bytes as they are, when it may. */
  out: JsonOut,
  /** Test only: bugs planted by SYNACK_PLANT_BUG (src/cli/planted-bugs.ts), to replay a planted-bug counterexample. */
  bugs?: ReadonlySet<BugName>,
): Promise<void> {
  const profile = parseProfile(flags.profile);
  const seed = parseSeed(flags.seed);
  const width = parseWidth(flags.width);
  if (flags.json && flags.mermaid) throw new UsageError('--json and --mermaid both print the run: choose one');
  // A theme only colours a picture: the SVG defaults to light (it is often embedded in light pages), the HTML page
  // follows the reader's system setting.
  if (flags.theme !== undefined && flags.svg === undefined && flags.html === undefined) throw new UsageError('--theme applies to --svg and --html only');
  // What only some flags need is loaded only then: a plain `synack run` starts without the DOM (linkedom) or the checker.
  const diagrams = flags.svg !== undefined || flags.html !== undefined ? await import('./export-diagram.js') : undefined;
  const themes = diagrams && { svg: diagrams.parseTheme(flags.theme, 'light'), html: diagrams.parseTheme(flags.theme, 'auto') };
  const scenario = await scenarioFor(scenarios, name);
  const result = await runWithin(scenario, { profile, seed, ...(bugs ? { bugs } : {}) }, name);
  const { trace, checks } = result;
  const stdout = out.text;
  if (flags.pcap !== undefined || flags.pcapng !== undefined) {
    const { writeCaptureFile } = await import('./export-capture.js');
    if (flags.pcap !== undefined) writeCaptureFile(trace, flags.pcap, 'pcap');
    if (flags.pcapng !== undefined) writeCaptureFile(trace, flags.pcapng, 'pcapng');
  }
  const picture = { relative: !flags.absolute, timers: true };
  if (diagrams && themes && flags.svg !== undefined) diagrams.writeDiagramFile(trace, flags.svg, 'svg', { ...picture, theme: themes.svg });
  if (diagrams && themes && flags.html !== undefined) diagrams.writeDiagramFile(trace, flags.html, 'html', { ...picture, theme: themes.html });
  if (flags.json) {
    if (out.room) await writeJsonPaced(trace, out, out.room);
    else writeJson(trace, out);
  } else if (flags.mermaid) {
    const { toMermaid } = await import('../render/mermaid.js');
    stdout(toMermaid(trace, { relative: !flags.absolute }));
  } else {
    let ladder: string;
    try {
      ladder = renderLadder(trace, { width, relative: !flags.absolute, timers: flags.timers === true });
    } catch (err) {
      if (err instanceof LadderWidthError) throw new UsageError(err.message);
      throw err;
    }
    stdout(`${ladder}\n${summarizeTrace(trace, width)}\n${formatChecks(checks)}${formatWarnings(result.warnings ?? [])}`);
  }
  const invariants = flags.invariants ? (await import('./run-invariants.js')).checkInvariants(scenario, trace, profile) : undefined;
  if (invariants && !flags.json && !flags.mermaid) stdout(invariants.text);
  if (invariants && invariants.broken > 0) throw new CheckFailed(`${invariants.broken} invariant${invariants.broken === 1 ? '' : 's'} broken; see "Invariants" above${flags.json || flags.mermaid ? ' (run without --json/--mermaid)' : ''}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) throw new CheckFailed(`${failed.length} of ${checks.length} expectations failed (${failed[0]!.what}: got ${failed[0]!.actual ?? '?'})`);
}

/** A run stopped by its budget (docs/scenario-format.md, Limits) is the user's to fix: a one-line error, exit 2. */
async function runWithin(scenario: Scenario, options: RunOptions, name: string): Promise<ScenarioResult> {
  try {
    return scenario.execute ? await scenario.execute(options) : { trace: await scenario.run(options), checks: [] };
  } catch (err) {
    if (err instanceof RunBudgetError) throw new UsageError(`${name}: ${err.message}`);
    throw err;
  }
}

function problemLines(err: ScenarioFileError): string {
  const file = printable(err.file);
  return err.problems.map((p) => (p.line > 0 ? `${file}:${p.line}:${p.col}: ${printable(p.message)}` : `${file}: ${printable(p.message)}`)).join('\n');
}

function formatWarnings(warnings: readonly string[]): string {
  return warnings.map((w) => `warning: ${printable(w)}\n`).join('');
}

function formatChecks(checks: ScenarioResult['checks']): string {
  if (checks.length === 0) return '';
  const lines = checks.map((c) => (c.ok ? `  ok    ${printable(c.what)}` : `  FAIL  ${printable(c.what)} (got ${printable(c.actual ?? '?')})`));
  const held = checks.filter((c) => c.ok).length;
  return `Expectations: ${held} of ${checks.length} hold\n${lines.join('\n')}\n`;
}
