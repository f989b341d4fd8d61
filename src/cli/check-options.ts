// Checking `synack check` flag values; each bad value is a one-line UsageError.
import { UsageError } from './errors.js';

export const DEFAULT_RUNS = 200;
export const MAX_RUNS = 1_000_000;
/** The loss range --loss may ask for: a lossier link mostly checks the retransmission timer's patience. */
export const MAX_LOSS = 0.5;

export function parseRuns(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RUNS;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_RUNS)) throw new UsageError(`bad --runs "${text}": expected an integer from 1 to ${MAX_RUNS}`);
  return n;
}

/** Seconds, a positive number (decimals allowed) up to a day; returned in milliseconds. */
export function parseTimeBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(s > 0 && s <= 86_400)) throw new UsageError(`bad --time-budget "${text}": expected seconds, a number above 0 and at most 86400`);
  return Math.round(s * 1000);
}

function percent(text: string, whole: string): number {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(text.trim());
  if (!m) throw new UsageError(`bad --loss "${whole}": expected a percentage or a range of them, e.g. 2% or 0..5%`);
  return Number(m[1]) / 100;
}

/** "2%" -> [0.02, 0.02]; "0..5%" and "0%..5%" -> [0, 0.05]. */
export function parseLoss(text: string | undefined): readonly [number, number] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split('..');
  if (parts.length > 2) throw new UsageError(`bad --loss "${text}": expected a percentage or a range of them, e.g. 2% or 0..5%`);
  const [lowText, highText] = parts.length === 2 ? [parts[0]!, parts[1]!] : [parts[0]!, parts[0]!];
  const high = percent(highText, text);
  const low = percent(lowText.trim().endsWith('%') ? lowText : `${lowText}%`, text);
  if (low > high) throw new UsageError(`bad --loss "${text}": the low end is above the high end`);
  if (high > MAX_LOSS) throw new UsageError(`bad --loss "${text}": at most ${MAX_LOSS * 100}%`);
  return [low, high];
}
