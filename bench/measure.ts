// What one row of the benchmark measured, and the medians and rates made of it.

export type Status = 'ok' | 'capped' | 'killed' | 'error' | 'not available' | 'not run';

export interface Measured {
  status: Status;
  /** Why not ok, in words for the table ("did not finish in 60 s: 4,000 of 10,000 done"). */
  note?: string;
  /** Wall time of the run (median when repeated). */
  ms?: number;
  /** Work units done: lifecycles, bytes, connections. */
  done?: number;
  segments?: number;
  /** Heap bytes (the idle connections' row). */
  heapBytes?: number;
  /** Runs the median is of. */
  runs?: number;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs `once` and, if it took under `quickMs`, twice more: the median of the ok runs (slow runs are not repeated). */
export async function repeatQuick<T extends Measured>(once: () => Promise<T>, quickMs = 5000): Promise<T> {
  const first = await once();
  if (first.status !== 'ok' || first.ms === undefined || first.ms >= quickMs) return first;
  const runs = [first, await once(), await once()].filter((r) => r.status === 'ok' && r.ms !== undefined);
  const ms = median(runs.map((r) => r.ms!));
  return { ...first, ms, runs: runs.length };
}

export const perSecond = (m: Measured, units: number | undefined): number | undefined =>
  m.status === 'ok' && m.ms !== undefined && units !== undefined && m.ms > 0 ? (units / m.ms) * 1000 : undefined;

export function fmtRate(x: number | undefined, unit = '/s'): string {
  if (x === undefined) return '—';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M${unit}`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(0)} k${unit}`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k${unit}`;
  return `${x.toFixed(x >= 100 ? 0 : 1)}${unit}`;
}

export const fmtInt = (x: number): string => x.toLocaleString('en-US');

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  if (ms >= 0.1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

/** synack ÷ real as "0.011× (real 91× faster)" or "12.3×". */
export function fmtRatio(r: number | undefined): string {
  if (r === undefined) return '—';
  if (r >= 1) return `${r.toFixed(r >= 10 ? 0 : 1)}×`;
  return `${r.toFixed(r >= 0.1 ? 2 : 3)}× (real ${(1 / r).toFixed(0)}× faster)`;
}
