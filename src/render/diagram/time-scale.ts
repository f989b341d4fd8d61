// Virtual time -> vertical position. Linear in time within a burst of activity (so a segment's slope shows its
// transit time and crossing segments cross), with room added at an instant for every event it holds, and idle
// stretches longer than `breakAfter` pixels cut down to a marked break (TIME_WAIT's 60 s would otherwise be a
// kilometre of empty lifeline). Pure: tested without a DOM.
import type { Micros } from '../../sim/trace.js';

export interface TimeScaleOptions {
  /** Pixels per microsecond inside a burst. */
  pxPerMicro: number;
  /** Height of one event's row. */
  rowHeight: number;
  /** An idle stretch longer than this many pixels becomes a break. */
  breakAfter: number;
  /** Height of a break. */
  breakHeight: number;
  /** Least space between two instants beyond their rows. */
  minGap: number;
  /** y of the first instant. */
  top: number;
}

export interface TimeBreak {
  /** Idle from t0 (the last instant before) to t1 (the next instant). */
  t0: Micros;
  t1: Micros;
  /** The band it occupies. */
  y0: number;
  y1: number;
}

export interface TimeScale {
  /** y of row `row` at instant t; between instants, interpolated (inside a break, across the band). */
  y(t: Micros, row?: number): number;
  breaks: TimeBreak[];
  /** y just below the last instant's rows. */
  bottom: number;
  /** The instants, in time order, with their y. */
  instants: Array<{ t: Micros; y: number; rows: number }>;
}

export function timeScale(instants: ReadonlyMap<Micros, number>, o: TimeScaleOptions): TimeScale {
  const times = [...instants.keys()].sort((a, b) => a - b);
  const placed: Array<{ t: Micros; y: number; rows: number }> = [];
  const breaks: TimeBreak[] = [];
  let y = o.top;
  times.forEach((t, i) => {
    const rows = instants.get(t)!;
    if (i > 0) {
      const prev = placed[i - 1]!;
      const used = prev.rows * o.rowHeight;
      const linear = (t - prev.t) * o.pxPerMicro;
      if (linear > o.breakAfter) {
        const y0 = prev.y + used + o.minGap;
        breaks.push({ t0: prev.t, t1: t, y0, y1: y0 + o.breakHeight });
        y = y0 + o.breakHeight + o.minGap;
      } else {
        y = prev.y + Math.max(used + o.minGap, linear);
      }
    }
    placed.push({ t, y, rows });
  });
  const last = placed[placed.length - 1];
  const bottom = last ? last.y + last.rows * o.rowHeight : o.top;

  const at = (t: Micros): number => {
    // Binary search for the last instant at or before t.
    let lo = 0;
    let hi = placed.length - 1;
    if (hi < 0) return o.top;
    if (t <= placed[0]!.t) return placed[0]!.y;
    if (t >= placed[hi]!.t) return placed[hi]!.y;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (placed[mid]!.t <= t) lo = mid;
      else hi = mid - 1;
    }
    const a = placed[lo]!;
    if (a.t === t) return a.y;
    const b = placed[lo + 1]!;
    // Between two instants: from below a's rows to b, in proportion to time.
    const from = a.y + a.rows * o.rowHeight;
    const f = (t - a.t) / (b.t - a.t);
    return Math.min(b.y, from + f * Math.max(0, b.y - from));
  };
  return {
    y: (t, row = 0) => at(t) + row * o.rowHeight,
    breaks,
    bottom,
    instants: placed,
  };
}
