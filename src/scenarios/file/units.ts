// Durations and probabilities as a scenario file writes them: 0.5 (seconds), "200ms", "250us", "1.5s";
// 0.01 or "1%".
import * as z from 'zod';
import { MAX_DURATION_US } from './limits.js';

const UNIT: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1e3, s: 1e6, min: 60e6 };

/** Seconds (a number) or a string with a unit, to integer microseconds. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1e6) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|min)\s*$/.exec(value);
  return m ? Math.round(Number(m[1]) * UNIT[m[2]!]!) : undefined;
}

/** A duration field: integer microseconds after parsing, at most MAX_DURATION_US (1 day of virtual time). */
export const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const us = parseDuration(v);
  if (us === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as 0.5, "200ms", "250us" or "1.5s", found ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  if (us > MAX_DURATION_US) {
    ctx.addIssue({ code: 'custom', message: tooLong(v) });
    return z.NEVER;
  }
  return us;
});

/** The message for a duration past the limit (shared with fault delays written in words). */
export function tooLong(v: unknown): string {
  return `expected a duration of at most 1 day (86400 s), found ${JSON.stringify(v)}`;
}

/** A probability: 0..1 or a percentage string. */
export const probability = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const p = typeof v === 'number' ? v : /^\s*\d+(\.\d+)?\s*%\s*$/.test(v) ? parseFloat(v) / 100 : NaN;
  if (!(p >= 0 && p <= 1)) {
    ctx.addIssue({ code: 'custom', message: `expected a probability between 0 and 1 or a percentage such as "1%", found ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return p;
});
