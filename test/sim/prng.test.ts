import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Prng, xoshiro128ssNext } from '../../src/sim/prng.js';
import type { Rng } from '../../src/tcp/rng.js';

const TWO_32 = 2 ** 32;

function draws(rng: { u32(): number }, n: number): number[] {
  return Array.from({ length: n }, () => rng.u32());
}

/** A Prng whose u32 replays a script, to pin down how int() maps raw draws. */
class ScriptedPrng extends Prng {
  constructor(private readonly script: number[]) {
    super(0);
  }
  override u32(): number {
    const v = this.script.shift();
    if (v === undefined) throw new Error('script exhausted');
    return v;
  }
}

describe('xoshiro128** core', () => {
  it('matches the reference implementation on a published test vector', () => {
    // Initial state and outputs from public xoshiro128** test data generated with the C reference code.
    const s = new Uint32Array([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    const out = draws({ u32: () => xoshiro128ssNext(s) }, 4);
    expect(out).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
    expect(Array.from(s)).toEqual([0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343]);
  });
});

describe('Prng seeding', () => {
  it('gives the same stream for the same seed', () => {
    expect(draws(new Prng(12345), 1000)).toEqual(draws(new Prng(12345), 1000));
  });

  it('gives different streams for different seeds, including neighbouring ones', () => {
    const firsts = new Set<string>();
    for (let seed = -50; seed < 50; seed++) firsts.add(draws(new Prng(seed), 2).join(','));
    expect(firsts.size).toBe(100);
  });

  it('keeps seeds that agree in their low 32 bits apart', () => {
    expect(draws(new Prng(-1), 4)).not.toEqual(draws(new Prng(TWO_32 - 1), 4));
    expect(draws(new Prng(0), 4)).not.toEqual(draws(new Prng(TWO_32), 4));
  });

  it('works for seed 0 (no stuck all-zero state)', () => {
    const out = draws(new Prng(0), 16);
    expect(new Set(out).size).toBe(16);
  });

  it('remembers its seed', () => {
    expect(new Prng(-7).seed).toBe(-7);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])('rejects the seed %s', (seed) => {
    expect(() => new Prng(seed)).toThrow(/seed must be a safe integer/);
  });
});

describe('Prng.u32 and float', () => {
  it('u32 yields integers in [0, 2^32)', () => {
    const rng = new Prng(1);
    for (const v of draws(rng, 10_000)) {
      expect(Number.isInteger(v) && v >= 0 && v < TWO_32).toBe(true);
    }
  });

  it('u32 sets the top bit about half the time (fixed seed)', () => {
    const high = draws(new Prng(2), 20_000).filter((v) => v >= 2 ** 31).length;
    expect(high).toBeGreaterThan(9_700);
    expect(high).toBeLessThan(10_300);
  });

  it('float yields values in [0, 1) with mean near 1/2 (fixed seed)', () => {
    const rng = new Prng(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
    }
    expect(Math.abs(sum / 20_000 - 0.5)).toBeLessThan(0.01);
  });

  it('can stand in for the Rng interface tcp code takes', () => {
    const isn = (rng: Rng): number => rng.u32();
    expect(isn(new Prng(9))).toBe(new Prng(9).u32());
  });
});

describe('Prng.int', () => {
  it('stays within [lo, hi] for any bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer(),
        (lo, span, seed) => {
          const rng = new Prng(seed);
          for (let i = 0; i < 20; i++) {
            const v = rng.int(lo, lo + span);
            if (!Number.isInteger(v) || v < lo || v > lo + span) return false;
          }
          return true;
        },
      ),
    );
  });

  it('returns lo when lo == hi', () => {
    expect(new Prng(4).int(7, 7)).toBe(7);
  });

  it('is roughly uniform: chi-square over six faces below the 0.1% critical value (fixed seed)', () => {
    const rng = new Prng(20240601);
    const n = 60_000;
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[rng.int(1, 6) - 1]!++;
    const expected = n / 6;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 5 degrees of freedom: P(chi2 > 20.515) = 0.001.
    expect(chi2).toBeLessThan(20.515);
  });

  it('reaches both ends of a small range', () => {
    const rng = new Prng(5);
    const seen = new Set(Array.from({ length: 200 }, () => rng.int(-2, 2)));
    expect([...seen].sort((x, y) => x - y)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('maps a raw draw by its remainder and rejects the incomplete last block (no modulo bias)', () => {
    expect(new ScriptedPrng([5]).int(10, 12)).toBe(12);
    // Range 3: 2^32 = 3 * 1431655765 + 1, so the one draw 2^32 - 1 must be thrown away.
    expect(new ScriptedPrng([TWO_32 - 1, 4]).int(0, 2)).toBe(1);
    expect(new ScriptedPrng([TWO_32 - 2]).int(0, 2)).toBe((TWO_32 - 2) % 3);
  });

  it('covers the full 32-bit range', () => {
    expect(new ScriptedPrng([TWO_32 - 1]).int(0, TWO_32 - 1)).toBe(TWO_32 - 1);
  });

  it('throws when lo > hi', () => {
    expect(() => new Prng(1).int(3, 2)).toThrow(/lo \(3\) is greater than hi \(2\)/);
  });

  it('throws on non-integer bounds and on ranges wider than 2^32', () => {
    expect(() => new Prng(1).int(0.5, 2)).toThrow(/safe integers/);
    expect(() => new Prng(1).int(0, NaN)).toThrow(/safe integers/);
    expect(() => new Prng(1).int(0, TWO_32)).toThrow(/more than 2\^32/);
  });
});

describe('Prng.chance', () => {
  it('is never true for p <= 0 and always true for p >= 1', () => {
    const rng = new Prng(6);
    for (let i = 0; i < 1000; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(-1)).toBe(false);
      expect(rng.chance(1)).toBe(true);
      expect(rng.chance(2)).toBe(true);
    }
  });

  it('consumes exactly one draw whatever p is', () => {
    for (const p of [-1, 0, 0.3, 1, 5]) {
      const a = new Prng(7);
      const b = new Prng(7);
      a.chance(p);
      b.u32();
      expect(a.u32()).toBe(b.u32());
    }
  });

  it('comes true with frequency near p (fixed seed)', () => {
    const rng = new Prng(8);
    let hits = 0;
    for (let i = 0; i < 40_000; i++) if (rng.chance(0.25)) hits++;
    // Mean 10000, standard deviation ~87.
    expect(hits).toBeGreaterThan(9_650);
    expect(hits).toBeLessThan(10_350);
  });

  it('throws on NaN', () => {
    expect(() => new Prng(1).chance(NaN)).toThrow(/NaN/);
  });
});

describe('Prng.fork', () => {
  it('depends only on the seed and label, not on draws already taken', () => {
    const a = new Prng(99);
    const b = new Prng(99);
    draws(b, 37);
    expect(draws(a.fork('link'), 50)).toEqual(draws(b.fork('link'), 50));
  });

  it('leaves the parent stream untouched', () => {
    const a = new Prng(99);
    const b = new Prng(99);
    const child = a.fork('x');
    draws(child, 10);
    expect(draws(a, 20)).toEqual(draws(b, 20));
  });

  it('gives different streams for different labels, parents and the parent itself', () => {
    const parent = new Prng(99);
    const streams = [
      draws(new Prng(99), 8),
      draws(parent.fork('a'), 8),
      draws(parent.fork('b'), 8),
      draws(parent.fork(''), 8),
      draws(new Prng(100).fork('a'), 8),
      draws(parent.fork('a').fork('a'), 8),
    ].map((s) => s.join(','));
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('produces uncorrelated sibling streams (fixed seed)', () => {
    const a = new Prng(2024).fork('client');
    const b = new Prng(2024).fork('server');
    const n = 20_000;
    const xs = Array.from({ length: n }, () => a.float());
    const ys = Array.from({ length: n }, () => b.float());
    const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    let cov = 0;
    let vx = 0;
    let vy = 0;
    for (let i = 0; i < n; i++) {
      cov += (xs[i]! - mx) * (ys[i]! - my);
      vx += (xs[i]! - mx) ** 2;
      vy += (ys[i]! - my) ** 2;
    }
    // Independent streams: r ~ N(0, 1/sqrt(n)) = N(0, 0.007).
    expect(Math.abs(cov / Math.sqrt(vx * vy))).toBeLessThan(0.035);
  });

  it("exposes a seed that replays the child's stream", () => {
    const child = new Prng(5).fork('hosts');
    expect(Number.isSafeInteger(child.seed)).toBe(true);
    expect(draws(new Prng(child.seed), 10)).toEqual(draws(new Prng(5).fork('hosts'), 10));
  });
});
