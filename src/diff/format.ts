// The diff for people (formatDiff: a header per side, the first divergence with a side-by-side table of
// its connection, then the rest in one line each) and for programs (diffJson, `synack diff --json`).
import type { Divergence } from './diff.js';
import type { Normalised } from './normalise.js';
import { sideBySide } from './side-by-side.js';

export interface FormatOptions {
  /** What to call A and B (file names, "model"/"kernel"). */
  labels: [string, string];
  /** Columns the lines must fit in (default 120). */
  width?: number;
  /** Rows shown before the divergent one (default 4); 2 are shown after it. */
  context?: number;
}

/** Divergences after the first listed one line each; the rest are counted. */
const LISTED = 5;

export interface SideSummary {
  label?: string;
  packets: number;
  connections: number;
}

export interface DiffJson {
  same: boolean;
  divergences: Divergence[];
  a: SideSummary;
  b: SideSummary;
}

function summary(n: Normalised, label?: string): SideSummary {
  return { ...(label !== undefined ? { label } : {}), packets: n.segments.length, connections: new Set(n.segments.map((s) => s.conn)).size };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Breaks a line at spaces so it fits `width`; continuation lines are indented by `indent`. */
function wrap(text: string, width: number, indent = '    '): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > indent.length ? cut : width;
    out.push(rest.slice(0, at));
    rest = indent + rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** "client:eph1>server:9999, from client:eph1, segment 2 of that direction". */
function where(d: Divergence): string {
  const frames = [d.a ? `A frame ${d.a.frame}` : '', d.b ? `B frame ${d.b.frame}` : ''].filter(Boolean).join(', ');
  return `${d.conn}, from ${d.from}, segment ${d.index + 1} of that direction (${frames})`;
}

export function formatDiff(a: Normalised, b: Normalised, divergences: Divergence[], opts: FormatOptions): string {
  const width = opts.width ?? 120;
  const context = opts.context ?? 4;
  const [labelA, labelB] = opts.labels;
  const out: string[] = [];
  for (const [side, n, label] of [['A', a, labelA], ['B', b, labelB]] as const) {
    const s = summary(n);
    out.push(...wrap(`${side}: ${label}: ${plural(s.packets, 'packet')}, ${plural(s.connections, 'connection')}`, width));
  }
  const [first, ...rest] = divergences;
  if (!first) {
    out.push('same');
    return `${out.join('\n')}\n`;
  }
  out.push(...wrap(`first divergence: ${where(first)}`, width));
  out.push(...wrap(`  ${first.detail}`, width));
  out.push('');
  out.push(...sideBySide(a, b, first, opts.labels, width, context));
  if (rest.length > 0) {
    out.push('');
    out.push(`${rest.length} more divergence${rest.length === 1 ? '' : 's'}:`);
    for (const d of rest.slice(0, LISTED)) out.push(...wrap(`  ${d.conn}, from ${d.from}, segment ${d.index + 1}: ${d.detail}`, width));
    if (rest.length > LISTED) out.push(`  ... and ${rest.length - LISTED} more`);
  }
  return `${out.join('\n')}\n`;
}

/** The --json document: { same, divergences, a: {label?, packets, connections}, b: {...} }. */
export function diffJson(a: Normalised, b: Normalised, divergences: Divergence[], labels?: [string, string]): DiffJson {
  return { same: divergences.length === 0, divergences, a: summary(a, labels?.[0]), b: summary(b, labels?.[1]) };
}
