// Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4).
// Sequence numbers are plain numbers in [0, 2^32). Never compare them with a bare `<`:
// use these helpers, which compare by the sign of the 32-bit difference.

/** A 32-bit sequence or acknowledgment number, 0 <= n < 2^32. */
export type Seq = number;

/** a + n, wrapped to 32 bits. `n` may be negative. */
export function seqAdd(a: Seq, n: number): Seq {
  return (a + n) >>> 0;
}

/** The signed distance a - b in [-2^31, 2^31). Exactly 2^31 apart, each is "before" the other (as Linux before()). */
export function seqDiff(a: Seq, b: Seq): number {
  return (a - b) | 0;
}

/** a < b modulo 2^32. */
export function seqLt(a: Seq, b: Seq): boolean {
  return seqDiff(a, b) < 0;
}

/** a <= b modulo 2^32. */
export function seqLe(a: Seq, b: Seq): boolean {
  return seqDiff(a, b) <= 0;
}

/** a > b modulo 2^32. */
export function seqGt(a: Seq, b: Seq): boolean {
  return seqDiff(a, b) > 0;
}

/** a >= b modulo 2^32. */
export function seqGe(a: Seq, b: Seq): boolean {
  return seqDiff(a, b) >= 0;
}

/** lo <= x < hi modulo 2^32 (an empty range when lo == hi). */
export function seqInRange(x: Seq, lo: Seq, hi: Seq): boolean {
  // Compare unsigned offsets from lo, so the range may span the wrap and lo == hi is empty.
  return ((x - lo) >>> 0) < ((hi - lo) >>> 0);
}

/** The later of two sequence numbers. */
export function seqMax(a: Seq, b: Seq): Seq {
  return seqGe(a, b) ? a : b;
}

/** The earlier of two sequence numbers. */
export function seqMin(a: Seq, b: Seq): Seq {
  return seqLe(a, b) ? a : b;
}
