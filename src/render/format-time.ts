// Virtual time as a reader wants it: milliseconds with microsecond precision while short, seconds once large.
import type { Micros } from '../sim/trace.js';

const MS = 1000;
const S = 1000 * MS;

/** 1500 -> "1.500 ms"; 61_000_000 -> "61.000 s" (seconds from 10 s on). */
export function formatTime(t: Micros): string {
  return t < 10 * S ? `${(t / MS).toFixed(3)} ms` : `${(t / S).toFixed(3)} s`;
}

/** A gap's length: 59_960_000 -> "59.96 s"; 250_000 -> "250.000 ms". */
export function formatIdle(d: Micros): string {
  return d < S ? `${(d / MS).toFixed(3)} ms` : `${(d / S).toFixed(2)} s`;
}
