// The targets of issue 11 as the benchmark judges them, and the README headline, on made-up measurements.
import { describe, expect, it } from 'vitest';
import { headline, targets, type BenchRun, type LifecycleRow } from '../../bench/report.js';
import type { Measured } from '../../bench/measure.js';

/** `n` lifecycles in `ms`. */
const ok = (n: number, ms: number, segments?: number): Measured => ({ status: 'ok', ms, done: n, ...(segments ? { segments } : {}) });
const row = (size: number, realMs: number, onMs: number, off: Measured): LifecycleRow => ({ concurrency: 1, size, real: ok(size, realMs), on: ok(size, onMs, size * 9), off });

function benchRun(over: Partial<BenchRun>): BenchRun {
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
    ...over,
  };
}

const target = (run: BenchRun, start: string) => targets(run).find((t) => t.text.startsWith(start))!;

describe('targets', () => {
  it('meets the 10× trace-off target only when every size is at least 10× real', () => {
    const fast = benchRun({ lifecycle: [row(1000, 1000, 50, ok(1000, 90)), row(100_000, 100_000, 5000, ok(100_000, 9000))] });
    expect(target(fast, 'lifecycles at least 10×').met).toBe(true);
    const oneSlow = benchRun({ lifecycle: [row(1000, 1000, 50, ok(1000, 90)), row(100_000, 100_000, 5000, ok(100_000, 20_000))] });
    expect(target(oneSlow, 'lifecycles at least 10×').met).toBe(false);
  });

  it('misses the trace-off targets when World({ trace: false }) is not there', () => {
    const run = benchRun({ traceOff: false, lifecycle: [row(1000, 1000, 50, { status: 'not available' })] });
    expect(target(run, 'lifecycles at least 10×')).toMatchObject({ met: false, measured: 'World({ trace: false }) not available' });
  });

  it('judges flatness by the cost per lifecycle at 100,000 against 1,000, and misses it when 100,000 did not finish', () => {
    const flat = benchRun({ lifecycle: [row(1000, 1, 100, ok(1000, 50)), row(100_000, 1, 14_000, ok(100_000, 7000))] });
    expect(target(flat, 'lifecycles flat').met).toBe(true);
    const steep = benchRun({ lifecycle: [row(1000, 1, 100, ok(1000, 50)), row(100_000, 1, 16_000, ok(100_000, 7000))] });
    expect(target(steep, 'lifecycles flat').met).toBe(false);
    const capped = benchRun({ lifecycle: [row(1000, 1, 100, ok(1000, 50)), { ...row(100_000, 1, 1, ok(1, 1)), on: { status: 'capped', note: 'did not finish in 60 s' } }] });
    expect(target(capped, 'lifecycles flat')).toMatchObject({ met: false });
    expect(target(capped, 'lifecycles flat').measured).toContain('did not finish in 60 s');
  });

  it('reads heap per connection as heap bytes over connections, against 1 KiB', () => {
    const run = (bytes: number) => benchRun({ idle: [{ size: 1000, m: { status: 'ok', ms: 1, done: 1000, heapBytes: bytes } }] });
    expect(target(run(1000 * 1024), 'at most 1 KiB').met).toBe(true);
    expect(target(run(1000 * 1025), 'at most 1 KiB').met).toBe(false);
  });

  it('needs every client in for the flood, and leaves it unjudged at another size', () => {
    const flood = (gotIn: number, ms: number, syns = 1_000_000) => benchRun({ flood: { status: 'ok', ms, done: gotIn }, floodSyns: syns });
    expect(target(flood(1000, 4000), 'the 1M-SYN flood').met).toBe(true);
    expect(target(flood(999, 4000), 'the 1M-SYN flood').met).toBe(false);
    expect(target(flood(1000, 6000), 'the 1M-SYN flood').met).toBe(false);
    expect(target(flood(1000, 4000, 20_000), 'the 1M-SYN flood').met).toBeUndefined();
  });
});

describe('headline', () => {
  it('gives the ratio at the largest size both sides finished', () => {
    const run = benchRun({ traceOff: false, lifecycle: [row(1000, 200, 20_000, { status: 'not available' }), { ...row(10_000, 2000, 1, { status: 'not available' }), on: { status: 'capped' } }] });
    // 1,000 in 20 s against 1,000 in 0.2 s: synack at 1/100 of real.
    expect(headline(run)).toContain('1,000 sequential TCP lifecycles');
    expect(headline(run)).toContain('0.010× (real 100× faster)');
  });
});
