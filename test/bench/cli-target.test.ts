// Issue 11's CLI target as the benchmark judges it, on made-up measurements: `synack run --json` of 8,000
// lifecycles at least as fast as node:net doing 8,000, and the cost per lifecycle at 8,000 within 1.5x of 2,000's.
import { describe, expect, it } from 'vitest';
import { cliTarget, render, type BenchRun, type CliBench } from '../../bench/report.js';
import type { Measured } from '../../bench/measure.js';

const ok = (n: number, ms: number): Measured => ({ status: 'ok', ms, done: n });

function benchRun(cli?: CliBench): BenchRun {
  return {
    date: '2026-12-07',
    machine: { cpu: 'test', cores: 2, memoryGiB: 8, node: 'v20', loadAtStart: [0, 0, 0] },
    capS: 60,
    traceOff: true,
    lifecycle: [],
    bulk: [],
    bulkBytes: 64 * 2 ** 20,
    idle: [],
    flood: { status: 'not run' },
    check: 'not built',
    profiles: [],
    web: 'not run',
    customised: false,
    ...(cli ? { cli } : {}),
  };
}

/** 2,000 and 8,000 lifecycles through the CLI in these times, node:net doing 8,000 in `realMs`. */
const cli = (ms2000: number, ms8000: number, realMs: number): CliBench => ({
  rows: [
    { size: 2000, m: ok(2000, ms2000) },
    { size: 8000, m: ok(8000, ms8000) },
  ],
  real: ok(8000, realMs),
});

describe('the CLI target', () => {
  it('is met when 8,000 through the CLI take no longer than node:net and cost at most 1.5x per lifecycle what 2,000 do', () => {
    expect(cliTarget(benchRun(cli(250, 1000, 1000))).met).toBe(true);
    // 1.5x exactly is within.
    expect(cliTarget(benchRun(cli(200, 1200, 1200))).met).toBe(true);
  });

  it('is missed when slower than node:net, however flat', () => {
    const t = cliTarget(benchRun(cli(1000, 4000, 1000)));
    expect(t.met).toBe(false);
    expect(t.measured).toContain('0.25×');
  });

  it('is missed when the cost per lifecycle grows more than 1.5x from 2,000 to 8,000, however fast', () => {
    const t = cliTarget(benchRun(cli(100, 800, 1000)));
    expect(t.met).toBe(false);
    expect(t.measured).toContain('2,000 -> 8,000: 2.00×');
  });

  it('is missed when the 8,000 run did not finish, and not judged when it was not run', () => {
    const capped: CliBench = { ...cli(100, 1, 1000), rows: [{ size: 2000, m: ok(2000, 100) }, { size: 8000, m: { status: 'capped', note: 'did not finish in 60 s' } }] };
    expect(cliTarget(benchRun(capped))).toMatchObject({ met: false });
    expect(cliTarget(benchRun(capped)).measured).toContain('did not finish in 60 s');
    expect(cliTarget(benchRun()).met).toBeUndefined();
  });

  it('is the last row of the targets table and has a section of its own in the report', () => {
    const { doc } = render(benchRun(cli(250, 1000, 1000)));
    const targetRows = doc.split('## Targets')[1]!.split('\n## ')[0]!.split('\n').filter((l) => l.startsWith('| '));
    expect(targetRows.at(-1)).toContain('`synack run --json` of 8,000');
    expect(targetRows.at(-1)).toMatch(/\| met \|$/);
    expect(doc).toContain('## (8) Through the CLI');
    expect(doc).toContain('Flatness: the cost per lifecycle at 8,000 is 1.00× the cost at 2,000.');
  });
});
