// `synack check`: exit 0 when every run held, 1 when a property failed (with the counterexample written),
// 2 for a bad flag or file, one line each; plain progress lines when stdout is not a terminal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import { parseLoss } from '../../src/cli/check-options.js';
import { CheckFailed } from '../../src/cli/errors.js';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synack check', () => {
  it('exits 0 when the invariants hold over random scenarios, with plain progress lines', async () => {
    const r = await capture(['check', '--runs', '20', '--seed', '7']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^checking \d+ invariants over random scenarios, 20 runs \(seed 7, profile linux\)\n/);
    expect(r.stdout).toContain('checking: 10/20 runs\n');
    expect(r.stdout).toMatch(/all held: 20 runs\n$/);
  }, 60_000);

  it('stops at the time budget, and what ran held', async () => {
    const r = await capture(['check', '--runs', '100000', '--time-budget', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all held: (\d+) runs \(the time budget ended it after \1 of 100000\)\n$/);
  }, 60_000);

  it('checks a file across seeds and loss rates', async () => {
    const r = await capture(['check', 'lost-fin', '--runs', '10', '--loss', '0..5%', '--profile', 'rfc9293']);
    expect(r.stdout).toContain('checking lost-fin: its expectations and');
    expect(r.stdout).toContain('loss 0%..5%');
    expect(r.code).toBe(0);
  }, 60_000);

  it('exits 1 when the file\'s expectations fail, naming the expectation', async () => {
    const path = join(dir, 'wrong.yaml');
    writeFileSync(
      path,
      `summary: "expects the wrong bytes"
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 80 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - recvall: conn
      - close: conn
  - host: client
    start: 0.001
    steps:
      - socket: s
      - connect: { socket: s, to: "server:80" }
      - sendall: { socket: s, data: "hello" }
      - close: s
expect:
  - { host: server, socket: conn, received: "goodbye" }
`,
    );
    // Through the command function, so the counterexample goes to the temporary directory (main() writes to the
    // current directory; it turns CheckFailed into exit 1, test/cli/errors.test.ts).
    const out: string[] = [];
    const failed = checkCommand(path, { runs: '5' }, { stdout: (x) => out.push(x), dir });
    await expect(failed).rejects.toThrow(CheckFailed);
    await expect(failed).rejects.toThrow(/^a property failed at run 1: expectation: server: conn received "goodbye" \(got .*hello.*\)$/);
    const text = out.join('');
    expect(text).toMatch(/wrote .*counterexample-wrong-\d+\.yaml\n/);
    expect(text).toMatch(/replay it: synack run counterexample-wrong-(\d+)\.yaml --seed \1 --profile linux --invariants\n/);
    const file = /(counterexample-wrong-(\d+)\.yaml)/.exec(text)!;
    const replay = await capture(['run', join(dir, file[1]!), '--seed', file[2]!]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('FAIL  server: conn received "goodbye"');
  }, 60_000);

  it.each([
    [['check', '--runs', '0'], 'synack: bad --runs "0": expected an integer from 1 to 1000000\n'],
    [['check', '--seed', '-1'], 'synack: option --seed needs a value (write --seed=VALUE for a value starting with "-")\n'],
    [['check', '--loss', '5%..1%'], 'synack: bad --loss "5%..1%": the low end is above the high end\n'],
    [['check', '--loss', 'lots'], 'synack: bad --loss "lots": expected a percentage or a range of them, e.g. 2% or 0..5%\n'],
    [['check', '--time-budget', '0'], 'synack: bad --time-budget "0": expected seconds, a number above 0 and at most 86400\n'],
    [['check', '--profile', 'bsd'], 'synack: unknown profile "bsd"; the profiles are: linux, rfc9293\n'],
    [['check', 'a.yaml', 'b.yaml'], 'synack: unexpected argument "b.yaml" for "check"\n'],
    [['check', '--fast'], 'synack: unknown option --fast for "check"; run "synack check --help" for usage\n'],
    [['check', 'no-such-scenario'], 'synack: unknown scenario "no-such-scenario"; run "synack list" to see the scenarios, or give a .yaml/.json file\n'],
  ])('synack %j is a usage error (exit 2, one line)', async (argv, stderr) => {
    const r = await capture(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr });
  });

  it('reports a bad scenario file by file, line and column', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'summary: x\nhosts: 3\n');
    const r = await capture(['check', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^synack: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+: `));
  });

  it('has its help', async () => {
    for (const argv of [['check', '--help'], ['help', 'check']]) {
      const r = await capture(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: synack check [FILE] [options]');
      expect(r.stdout).toContain('--time-budget S');
    }
    expect((await capture(['--help'])).stdout).toContain('synack check [FILE] [opts]');
  });
});

describe('--loss', () => {
  it.each([
    ['2%', [0.02, 0.02]],
    ['0..5%', [0, 0.05]],
    ['0%..5%', [0, 0.05]],
    ['1.5%..2.5%', [0.015, 0.025]],
  ])('%s is %j', (text, range) => {
    expect(parseLoss(text)).toEqual(range);
  });
});
