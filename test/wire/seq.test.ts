import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGe, seqGt, seqInRange, seqLe, seqLt, seqMax, seqMin } from '../../src/wire/seq.js';

const TWO_32 = 2 ** 32;
const HALF = 2 ** 31;
const seq = fc.integer({ min: 0, max: TWO_32 - 1 });
/** A forward distance strictly inside the comparable half-space (0, 2^31). */
const dist = fc.integer({ min: 1, max: HALF - 1 });
/** Sequence numbers close to the wrap, where bugs with a bare `<` show up. */
const nearWrap = fc.integer({ min: TWO_32 - 1000, max: TWO_32 - 1 });
const anySeq = fc.oneof(seq, nearWrap, fc.constantFrom(0, 1, HALF - 1, HALF, TWO_32 - 1));

describe('seqAdd', () => {
  it('wraps modulo 2^32 and stays in [0, 2^32)', () => {
    fc.assert(
      fc.property(anySeq, fc.integer({ min: -TWO_32, max: TWO_32 }), (a, n) => {
        const r = seqAdd(a, n);
        expect(Number.isInteger(r) && r >= 0 && r < TWO_32).toBe(true);
        expect(r).toBe((((a + n) % TWO_32) + TWO_32) % TWO_32);
      }),
    );
  });

  it('named examples across the wrap', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(seqAdd(0, -1)).toBe(0xffffffff);
  });
});

describe('ordering within half the sequence space', () => {
  it('a < a+d and a+d > a for any d in (0, 2^31), also across the wrap', () => {
    fc.assert(
      fc.property(anySeq, dist, (a, d) => {
        const b = seqAdd(a, d);
        expect(seqLt(a, b)).toBe(true);
        expect(seqLe(a, b)).toBe(true);
        expect(seqGt(b, a)).toBe(true);
        expect(seqGe(b, a)).toBe(true);
      }),
    );
  });

  it('seqDiff(a+d, a) === d and seqDiff(a, a+d) === -d', () => {
    fc.assert(
      fc.property(anySeq, dist, (a, d) => {
        expect(seqDiff(seqAdd(a, d), a)).toBe(d);
        expect(seqDiff(a, seqAdd(a, d))).toBe(-d);
      }),
    );
  });

  it('is antisymmetric: a < b excludes b < a, b <= a and a >= b', () => {
    fc.assert(
      fc.property(anySeq, dist, (a, d) => {
        const b = seqAdd(a, d);
        expect(seqLt(b, a)).toBe(false);
        expect(seqLe(b, a)).toBe(false);
        expect(seqGe(a, b)).toBe(false);
        expect(seqGt(a, b)).toBe(false);
      }),
    );
  });

  it('is reflexive for <= and >=, irreflexive for < and >', () => {
    fc.assert(
      fc.property(anySeq, (a) => {
        expect(seqLe(a, a) && seqGe(a, a)).toBe(true);
        expect(seqLt(a, a) || seqGt(a, a)).toBe(false);
        expect(seqDiff(a, a)).toBe(0);
      }),
    );
  });

  it('0xffffffff is before 0, and 0 is after 0xffffffff', () => {
    expect(seqLt(0xffffffff, 0)).toBe(true);
    expect(seqGt(0, 0xffffffff)).toBe(true);
    expect(seqLt(0, 0xffffffff)).toBe(false);
    expect(seqDiff(0, 0xffffffff)).toBe(1);
    expect(seqDiff(0xffffffff, 0)).toBe(-1);
  });

  it('a bare < would get the wrap wrong where seqLt does not', () => {
    // 0xfffffff0 + 0x20 wraps to 0x10: numerically smaller, but later in sequence space.
    expect(0x10 < 0xfffffff0).toBe(true);
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
  });
});

describe('the 2^31 boundary', () => {
  // Exactly half the space apart, "before" is undefined (RFC 1982 3.2). These helpers, like Linux's before()
  // and after() in include/net/tcp.h ((s32)(a - b) < 0), then call each number less than the other.
  it('seqDiff of numbers 2^31 apart is -2^31 in both directions', () => {
    fc.assert(
      fc.property(anySeq, (a) => {
        const b = seqAdd(a, HALF);
        expect(seqDiff(b, a)).toBe(-HALF);
        expect(seqDiff(a, b)).toBe(-HALF);
      }),
    );
  });

  it('numbers 2^31 apart are each seqLt the other, and neither is seqGt', () => {
    expect(seqLt(0, HALF)).toBe(true);
    expect(seqLt(HALF, 0)).toBe(true);
    expect(seqGt(0, HALF)).toBe(false);
    expect(seqGt(HALF, 0)).toBe(false);
  });

  it('one less than 2^31 apart is still ordered, one more is ordered the other way', () => {
    expect(seqLt(0, HALF - 1)).toBe(true);
    expect(seqGt(HALF - 1, 0)).toBe(true);
    expect(seqLt(HALF + 1, 0)).toBe(true);
    expect(seqGt(0, HALF + 1)).toBe(true);
  });
});

describe('seqInRange (lo <= x < hi)', () => {
  it('contains lo+k for k < n and excludes lo+k for n <= k < 2^31, for hi = lo+n', () => {
    fc.assert(
      fc.property(anySeq, dist, fc.nat({ max: HALF - 1 }), (lo, n, k) => {
        const hi = seqAdd(lo, n);
        expect(seqInRange(seqAdd(lo, k), lo, hi)).toBe(k < n);
      }),
    );
  });

  it('excludes everything just before lo', () => {
    fc.assert(
      fc.property(anySeq, dist, fc.integer({ min: 1, max: HALF }), (lo, n, k) => {
        expect(seqInRange(seqAdd(lo, -k), lo, seqAdd(lo, n))).toBe(false);
      }),
    );
  });

  it('works across 2^32-1 -> 0', () => {
    expect(seqInRange(0xffffffff, 0xfffffff0, 0x10)).toBe(true);
    expect(seqInRange(0, 0xfffffff0, 0x10)).toBe(true);
    expect(seqInRange(0xf, 0xfffffff0, 0x10)).toBe(true);
    expect(seqInRange(0x10, 0xfffffff0, 0x10)).toBe(false);
    expect(seqInRange(0xffffffef, 0xfffffff0, 0x10)).toBe(false);
    expect(seqInRange(0, 0xffffffff, 1)).toBe(true);
  });

  it('is empty when lo == hi (for x not exactly 2^31 from lo)', () => {
    fc.assert(
      fc.property(anySeq, anySeq, (x, lo) => {
        fc.pre(seqAdd(lo, HALF) !== x);
        expect(seqInRange(x, lo, lo)).toBe(false);
      }),
    );
  });

  // With lo == hi and x exactly 2^31 away, seqLe(lo, x) and seqLt(x, hi) are both true (see "the 2^31
  // boundary"); seqInRange compares unsigned offsets from lo so the empty range stays empty.
  it('is empty when lo == hi even for x exactly 2^31 from lo', () => {
    expect(seqInRange(HALF, 0, 0)).toBe(false);
  });
});

describe('seqMax and seqMin', () => {
  it('pick the later and the earlier of a and a+d, in either argument order', () => {
    fc.assert(
      fc.property(anySeq, dist, (a, d) => {
        const b = seqAdd(a, d);
        expect(seqMax(a, b)).toBe(b);
        expect(seqMax(b, a)).toBe(b);
        expect(seqMin(a, b)).toBe(a);
        expect(seqMin(b, a)).toBe(a);
      }),
    );
  });

  it('return the value itself for equal arguments', () => {
    fc.assert(
      fc.property(anySeq, (a) => {
        expect([seqMax(a, a), seqMin(a, a)]).toEqual([a, a]);
      }),
    );
  });

  it('across the wrap: max(0xfffffff0, 5) is 5', () => {
    expect(seqMax(0xfffffff0, 5)).toBe(5);
    expect(seqMin(0xfffffff0, 5)).toBe(0xfffffff0);
  });

  it('at exactly 2^31 apart the answer depends on argument order (seqMax keeps the second, seqMin the first)', () => {
    expect(seqMax(0, HALF)).toBe(HALF);
    expect(seqMax(HALF, 0)).toBe(0);
    expect(seqMin(0, HALF)).toBe(0);
    expect(seqMin(HALF, 0)).toBe(HALF);
  });
});
