// The simulator's seeded pseudo-random number generator: xoshiro128** 1.0 (Blackman & Vigna,
// "Scrambled linear pseudorandom number generators", 2018), its 128-bit state filled from a 32-bit
// seed by splitmix32 (a Weyl sequence with golden-ratio increment, finalised by the "lowbias32"
// integer hash). Same seed, same stream, on every platform: only 32-bit integer arithmetic is used.
import type { Rng } from '../tcp/rng.js';

export type { Rng } from '../tcp/rng.js';

const TWO_32 = 2 ** 32;
const GOLDEN_GAMMA = 0x9e3779b9;

/** A bijective 32-bit mixer (lowbias32). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** FNV-1a over the label's UTF-16 code units. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * One step of xoshiro128**: returns the next output and advances `s` (four 32-bit words, not all
 * zero) in place. Exported so the algorithm can be checked against reference vectors.
 */
export function xoshiro128ssNext(s: Uint32Array): number {
  const s0 = s[0]!;
  const s1 = s[1]!;
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const s2 = s[2]! ^ s0;
  const s3 = s[3]! ^ s1;
  s[0] = s0 ^ s3;
  s[1] = s1 ^ s2;
  s[2] = s2 ^ (s1 << 9);
  s[3] = rotl(s3, 11);
  return result;
}

/** Folds any safe integer into 32 bits so that, say, -1 and 2^32 - 1 still give different streams. */
function seedTo32(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32);
  return hi === 0 ? lo : (lo ^ mix32(hi >>> 0)) >>> 0;
}

export class Prng implements Rng {
  /** The seed this stream was made from; `new Prng(p.seed)` replays it from the start. */
  readonly seed: number;
  private readonly seed32: number;
  private readonly s = new Uint32Array(4);

  /** `seed` may be any safe integer (negative too); the same seed always gives the same stream. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`Prng seed must be a safe integer, got ${String(seed)}`);
    }
    this.seed = seed;
    this.seed32 = seedTo32(seed);
    // splitmix32: successive outputs of a Weyl sequence started at the seed.
    let weyl = this.seed32;
    for (let i = 0; i < 4; i++) {
      weyl = (weyl + GOLDEN_GAMMA) >>> 0;
      this.s[i] = mix32(weyl);
    }
    // xoshiro's one forbidden state; mix32 is a bijection, so this needs four zero outputs in a row.
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** Uniform in [0, 2^32). */
  u32(): number {
    return xoshiro128ssNext(this.s);
  }

  /** Uniform in [0, 1), in steps of 2^-32 (one draw). */
  float(): number {
    return this.u32() / TWO_32;
  }

  /**
   * Uniform integer in [lo, hi], both inclusive, without modulo bias (rejection sampling, so
   * usually one draw but occasionally more). hi - lo may be at most 2^32 - 1.
   */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      throw new Error(`Prng.int bounds must be safe integers, got [${String(lo)}, ${String(hi)}]`);
    }
    if (lo > hi) throw new Error(`Prng.int: lo (${lo}) is greater than hi (${hi})`);
    const range = hi - lo + 1;
    if (range > TWO_32) {
      throw new Error(`Prng.int: range [${lo}, ${hi}] spans more than 2^32 values`);
    }
    if (range === TWO_32) return lo + this.u32();
    // Accept only draws below the largest multiple of `range`, so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % range);
    let x = this.u32();
    while (x >= limit) x = this.u32();
    return lo + (x % range);
  }

  /**
   * True with probability p. Always consumes exactly one draw, even for p <= 0 (never true) and
   * p >= 1 (always true), so where the stream stands never depends on the value of p.
   */
  chance(p: number): boolean {
    if (Number.isNaN(p)) throw new Error('Prng.chance: probability is NaN');
    return this.float() < p;
  }

  /**
   * An independent child stream, a function of this generator's seed and `label` only: it does not
   * depend on how many numbers have been drawn here, and drawing from it leaves this stream alone.
   * The child's `seed` is the derived 32-bit seed, so `new Prng(child.seed)` replays the child.
   */
  fork(label: string): Prng {
    return new Prng(mix32(this.seed32 ^ mix32((hashLabel(label) + GOLDEN_GAMMA) >>> 0)));
  }
}
