// Issue 12: "The default synack check finds every one [of the planted bugs]; its counterexample replays in the
// CLI." Each bug (src/tcp/bugs.ts) is planted through the check runner's test hook, and the default check
// (the library function `synack check` calls, its default runs and seed) must fail with the invariant that
// the bug breaks; with no bug planted the same runs all hold. A counterexample written by the command replays
// with `synack run --invariants` when the bug is planted (SYNACK_PLANT_BUG) and holds without it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProperties, type CheckRunOptions } from '../../src/check/command-run.js';
import { checkCommand } from '../../src/cli/check.js';
import { DEFAULT_RUNS } from '../../src/cli/check-options.js';
import { CheckFailed } from '../../src/cli/errors.js';
import { BUG_NAMES, type BugName } from '../../src/tcp/bugs.js';
import { capture } from '../cli/fake-registry.js';

/** What `synack check` runs by default (src/cli/check.ts: --runs 200, --seed 1, --profile linux). */
const DEFAULTS: CheckRunOptions = { runs: DEFAULT_RUNS, seed: 1, profile: 'linux' };

/** The invariant each bug breaks (the rule it violates, not the code it changes). */
const BROKEN: Record<BugName, string> = {
  'ack-outside-window': 'rto-retransmits', // SND.UNA jumps past SND.MAX: the RTO then has nothing to resend
  'forget-time-wait': 'time-wait-length',
  'ignore-rst-in-syn-received': 'rst-in-syn-received',
  'backlog-off-by-one': 'backlog-limit',
  'fin-no-sequence-number': 'fin-acknowledged',
};

const dir = mkdtempSync(join(tmpdir(), 'synack-planted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default check finds every planted bug', () => {
  it('finds nothing when no bug is planted (the same runs)', async () => {
    const report = await checkProperties(DEFAULTS);
    expect(report.failure?.problems).toBeUndefined();
    expect(report.runs).toBe(DEFAULT_RUNS);
  }, 120_000);

  for (const bug of BUG_NAMES) {
    it(`finds ${bug}: ${BROKEN[bug]} fails, on a shrunk counterexample`, async () => {
      const report = await checkProperties({ ...DEFAULTS, bugs: new Set([bug]) });
      const failure = report.failure!;
      expect(failure).toBeDefined();
      expect(failure.problems.map((p) => p.kind)).toContain(BROKEN[bug]);
      expect(failure.foundAtRun).toBeLessThanOrEqual(DEFAULT_RUNS);
      // For the report (issue 12: "report how many runs each took and the counterexample it found").
      console.log(`${bug}: found at run ${failure.foundAtRun}, shrunk ${failure.shrinks} times; ${failure.problems[0]!.kind}: ${failure.problems[0]!.message}`);
    }, 120_000);
  }
});

describe('a counterexample replays in the CLI', () => {
  it('is written as a scenario file that "synack run --invariants" fails with the bug planted and passes without', async () => {
    const out: string[] = [];
    const bugs = new Set<BugName>(['forget-time-wait']);
    await expect(checkCommand(undefined, {}, { stdout: (s) => out.push(s), dir, bugs })).rejects.toThrow(CheckFailed);
    const text = out.join('');
    const replay = /replay it: SYNACK_PLANT_BUG=forget-time-wait synack run (counterexample-random-(\d+)\.yaml) --seed (\d+) --profile linux --invariants\n/.exec(text);
    expect(replay).not.toBeNull();
    const [, file, seedInName, seed] = replay!;
    expect(seedInName).toBe(seed);
    const path = join(dir, file!);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^# A counterexample found by "synack check"/);
    expect(text).toMatch(/open it in the web app \("synack serve" first\): http:\/\/127\.0\.0\.1:8470\/#s1=[A-Za-z0-9_-]+\n/);
    expect(text).toContain('TIME_WAIT'); // the ladder

    const args = ['run', path, '--seed', seed!, '--profile', 'linux', '--invariants'];
    const withBug = await withEnv('forget-time-wait', () => capture(args));
    expect(withBug.code).toBe(1);
    expect(withBug.stdout).toMatch(/ {2}FAIL {2}time-wait-length/);
    expect(withBug.stderr).toContain('test-only bugs planted in the engine by SYNACK_PLANT_BUG: forget-time-wait');
    const withoutBug = await withEnv(undefined, () => capture(args));
    expect(withoutBug.stderr).toBe('');
    expect(withoutBug.code).toBe(0);
    expect(withoutBug.stdout).toMatch(/Invariants: (\d+) of \1 hold/);
  }, 120_000);

  it('refuses an unknown planted bug with one line (exit 2)', async () => {
    const r = await withEnv('no-such-bug', () => capture(['run', 'three-way-handshake']));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synack: SYNACK_PLANT_BUG: unknown bug "no-such-bug"; the bugs are: ${BUG_NAMES.join(', ')}\n`);
  });
});

async function withEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const before = process.env.SYNACK_PLANT_BUG;
  if (value === undefined) delete process.env.SYNACK_PLANT_BUG;
  else process.env.SYNACK_PLANT_BUG = value;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.SYNACK_PLANT_BUG;
    else process.env.SYNACK_PLANT_BUG = before;
  }
}
