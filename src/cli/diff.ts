// `synack diff A B`: two runs of one scenario (each a trace JSON, a pcap or a pcapng) normalised and
// compared packet by packet (src/diff, docs/diff.md). Exit 0 when they are the same, 1 when they differ.
import { printable } from '../render/printable.js';
import { diffJson, diffNormalised, formatDiff, normalise, type DiffOptions } from '../diff/index.js';
import { CheckFailed, UsageError } from './errors.js';
import { readInput, type Input } from './replay.js';
import { parseWidth } from './run-options.js';

export interface DiffFlags {
  json?: boolean;
  'no-time'?: boolean;
  tolerance?: string;
  width?: string;
}

/** The side-by-side is wider than a ladder: two segments per row. */
export const DEFAULT_DIFF_WIDTH = 120;
/** A --tolerance above an hour is surely a typo. */
const MAX_TOLERANCE_MS = 3_600_000;

function parseTolerance(text: string | undefined): DiffOptions['tolerance'] {
  if (text === undefined) return undefined;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(ms <= MAX_TOLERANCE_MS)) throw new UsageError(`bad --tolerance "${text}": expected milliseconds, a number from 0 to ${MAX_TOLERANCE_MS}`);
  return () => ms * 1000;
}

/** The reader `synack replay` uses: its schema refuses a bad trace with the same one line (exit 2). */
function read(path: string): Input {
  return readInput(path, undefined);
}

export function diffFiles(pathA: string, pathB: string, flags: DiffFlags, stdout: (s: string) => void): void {
  const width = flags.width === undefined ? DEFAULT_DIFF_WIDTH : parseWidth(flags.width);
  const tolerance = parseTolerance(flags.tolerance);
  if (tolerance && flags['no-time']) throw new UsageError('--tolerance and --no-time contradict each other: give one of them');
  const inputA = read(pathA);
  const inputB = read(pathB);
  const a = normalise(inputA.packets);
  const b = normalise(inputB.packets);
  const options: DiffOptions = { ...(flags['no-time'] ? { time: false } : {}), ...(tolerance ? { tolerance } : {}) };
  const divergences = diffNormalised(a, b, options);
  const labels: [string, string] = [pathA, pathB];
  const warnings = [...inputA.warnings.map((w) => `${pathA}: ${w}`), ...inputB.warnings.map((w) => `${pathB}: ${w}`)];
  if (flags.json) {
    const json = { ...diffJson(a, b, divergences, labels), ...(warnings.length > 0 ? { warnings } : {}) };
    stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    // File names and warnings quote user text: shown printable, measured as shown (issue 10).
    const shown: [string, string] = [printable(pathA), printable(pathB)];
    stdout(formatDiff(a, b, divergences, { labels: shown, width }) + warnings.map((w) => `warning: ${printable(w)}\n`).join(''));
  }
  if (divergences.length > 0) {
    throw new CheckFailed(`${pathA} and ${pathB} differ: ${divergences.length} divergence${divergences.length === 1 ? '' : 's'}`);
  }
}
