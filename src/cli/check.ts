// `synack check [FILE] [options]`: the invariants of synack/check (and a file's own expectations) over many runs,
// with a progress bar on a terminal. On a failure: the smallest counterexample fast-check found, drawn as a ladder,
// saved as a scenario file, with the command that replays it and the link that opens it in the web app.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkProperties, type CheckFailure, type CheckReport, type CheckRunOptions } from '../check/command-run.js';
import { CHECK_INVARIANTS } from '../check/command-invariants.js';
import { renderLadder } from '../render/ladder.js';
import { printable } from '../render/printable.js';
import { ScenarioFileError } from '../scenarios/file/errors.js';
import { BUILTIN_DIR, isScenarioPath, loadBuiltinScenarios, loadScenarioFile } from '../scenarios/file/load.js';
import type { BugName } from '../tcp/bugs.js';
import { parseLoss, parseRuns, parseTimeBudget } from './check-options.js';
import { CheckFailed, UsageError } from './errors.js';
import { PLANT_BUG_VARIABLE } from './planted-bugs.js';
import { createProgress, type ProgressStream } from './progress.js';
import { parseProfile, parseSeed } from './run-options.js';
import { scenarioShareUrl } from './share-link.js';
import { didYouMean } from './suggest.js';

export interface CheckFlags {
  runs?: string;
  seed?: string;
  profile?: string;
  loss?: string;
  'time-budget'?: string;
}

export interface CheckEnvironment {
  stdout: (s: string) => void;
  /** Where the progress bar goes (a terminal gets a bar, anything else plain lines through stdout). */
  progress?: ProgressStream;
  /** Where counterexample files are written (default: the current directory). */
  dir?: string;
  /** Test only: planted bugs (SYNACK_PLANT_BUG). */
  bugs?: ReadonlySet<BugName>;
}

/** The file named on the command line, as text (validated), with its scenario name. */
function scenarioFile(nameOrPath: string): { text: string; name: string; path: string } {
  let path = nameOrPath;
  if (!isScenarioPath(nameOrPath)) {
    const builtins = loadBuiltinScenarios();
    const found = builtins.find((s) => s.name === nameOrPath);
    if (!found) {
      const hint = didYouMean(nameOrPath, builtins.map((s) => s.name));
      throw new UsageError(`unknown scenario "${nameOrPath}"; ${hint || 'run "synack list" to see the scenarios, or give a .yaml/.json file'}`);
    }
    path = join(BUILTIN_DIR, basename(found.source));
  }
  try {
    const scenario = loadScenarioFile(path, nameOrPath);
    return { text: readFileSync(path, 'utf8'), name: scenario.name, path };
  } catch (err) {
    if (err instanceof ScenarioFileError) {
      const file = printable(err.file);
      throw new UsageError(err.problems.map((p) => (p.line > 0 ? `${file}:${p.line}:${p.col}: ${printable(p.message)}` : `${file}: ${printable(p.message)}`)).join('\n'), true);
    }
    throw err;
  }
}

export async function checkCommand(file: string | undefined, flags: CheckFlags, env: CheckEnvironment): Promise<void> {
  const runs = parseRuns(flags.runs);
  const seed = parseSeed(flags.seed);
  const profile = parseProfile(flags.profile);
  const loss = parseLoss(flags.loss);
  const timeBudgetMs = parseTimeBudget(flags['time-budget']);
  const scenario = file === undefined ? undefined : scenarioFile(file);
  const what = scenario ? `${scenario.name}: its expectations and ${CHECK_INVARIANTS.length} invariants` : `${CHECK_INVARIANTS.length} invariants over random scenarios`;
  env.stdout(`checking ${what}, ${runs} runs (seed ${seed}, profile ${profile}${loss ? `, loss ${loss[0] * 100}%..${loss[1] * 100}%` : ''})\n`);
  const progress = createProgress(env.progress ?? { isTTY: false, write: env.stdout }, runs, 'checking');
  const options: CheckRunOptions = {
    runs,
    seed,
    profile,
    ...(loss ? { loss } : {}),
    ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
    ...(scenario ? { file: { text: scenario.text, name: scenario.name } } : {}),
    ...(env.bugs ? { bugs: env.bugs } : {}),
    onRun: (done, shrinking) => progress.update(done, shrinking ? 'shrinking the counterexample' : ''),
  };
  let report: CheckReport;
  try {
    report = await checkProperties(options);
  } finally {
    progress.stop();
  }
  if (!report.failure) {
    const cut = report.interrupted ? ` (the time budget ended it after ${report.runs} of ${runs})` : '';
    env.stdout(`all held: ${report.runs} runs${cut}\n`);
    return;
  }
  await reportFailure(report.failure, env);
  const first = report.failure.problems[0];
  throw new CheckFailed(`a property failed at run ${report.failure.foundAtRun}: ${first ? `${first.kind}: ${first.message}` : 'the run failed'}`);
}

/** The counterexample's file name: counterexample-<scenario>-<seed>.yaml. */
export function counterexampleName(failure: CheckFailure): string {
  const name = failure.case.name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'scenario';
  return `counterexample-${name}-${failure.case.seed}.yaml`;
}

async function reportFailure(failure: CheckFailure, env: CheckEnvironment): Promise<void> {
  const c = failure.case;
  const fileName = counterexampleName(failure);
  const path = join(env.dir ?? process.cwd(), fileName);
  const planted = env.bugs && env.bugs.size > 0 ? `${PLANT_BUG_VARIABLE}=${[...env.bugs].join(',')} ` : '';
  const replay = `${planted}synack run ${fileName} --seed ${c.seed} --profile ${c.profile} --invariants`;
  const first = failure.problems[0];
  const header = [
    `# A counterexample found by "synack check" (run ${failure.foundAtRun}, shrunk ${failure.shrinks} times).`,
    ...(first ? [`# ${first.kind}${first.rfc ? ` (${first.rfc})` : ''}: ${first.message}`.replace(/\n/g, ' ')] : []),
    `# Replay: ${replay}`,
    '',
  ].join('\n');
  writeFileSync(path, `${header}${c.text}`);
  const shown = failure.problems.slice(0, 10).map((p) => `  ${p.kind}${p.rfc ? ` (${p.rfc})` : ''}: ${p.message}\n`).join('');
  const more = failure.problems.length > 10 ? `  ... and ${failure.problems.length - 10} more\n` : '';
  const ladder = failure.trace ? `${renderLadder(failure.trace, { width: 100 })}\n` : '';
  const url = await scenarioShareUrl(fileName.replace(/\.yaml$/, ''), `${header}${c.text}`, c.profile, c.seed, undefined, env.bugs);
  env.stdout(
    `\nFAILED at run ${failure.foundAtRun}; the smallest counterexample (shrunk ${failure.shrinks} times), ${c.name} with seed ${c.seed}, profile ${c.profile}:\n` +
      `${shown}${more}\n${ladder}` +
      `wrote ${path}\n` +
      `replay it: ${replay}\n` +
      `open it in the web app ("synack serve" first): ${url}\n`,
  );
}
