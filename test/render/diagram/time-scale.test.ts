// Time to pixels: linear inside a burst, a row of room per event, idle stretches cut to a break.
import { describe, expect, it } from 'vitest';
import { timeScale } from '../../../src/render/diagram/time-scale.js';

const OPTS = { pxPerMicro: 0.04, rowHeight: 18, breakAfter: 150, breakHeight: 30, minGap: 4, top: 100 };

describe('timeScale', () => {
  it('is linear in time between instants that need less room than their distance', () => {
    // 1 ms = 40 px: three instants with one row each, 1 ms and 3 ms apart.
    const s = timeScale(new Map([[0, 1], [1000, 1], [4000, 1]]), OPTS);
    expect(s.y(0)).toBe(100);
    expect(s.y(1000)).toBe(140);
    expect(s.y(4000) - s.y(1000)).toBeCloseTo(120);
    expect(s.breaks).toEqual([]);
  });

  it('gives every event of one instant its own row', () => {
    const s = timeScale(new Map([[0, 3], [100, 1]]), OPTS);
    expect(s.y(0, 2)).toBe(100 + 36);
    // 100 µs is 4 px of time, less than the 3 rows above it: the next instant starts below them.
    expect(s.y(100)).toBe(100 + 3 * 18 + 4);
  });

  it('cuts an idle stretch longer than breakAfter to one break, and says which', () => {
    const s = timeScale(new Map([[0, 1], [1000, 1], [60_001_000, 1]]), OPTS);
    expect(s.breaks).toHaveLength(1);
    const b = s.breaks[0]!;
    expect([b.t0, b.t1]).toEqual([1000, 60_001_000]);
    expect(b.y1 - b.y0).toBe(30);
    expect(s.y(60_001_000)).toBe(b.y1 + 4);
    // Times inside the break map into its band, in order.
    const mid = s.y(30_000_000);
    expect(mid).toBeGreaterThan(b.y0);
    expect(mid).toBeLessThan(s.y(60_001_000));
  });

  it('is monotone', () => {
    const instants = new Map<number, number>();
    for (let i = 0; i < 200; i++) instants.set(Math.floor((i * i * 7919) % 5_000_000), (i % 3) + 0);
    const s = timeScale(instants, OPTS);
    const ts = [...instants.keys()].sort((a, b) => a - b);
    for (let i = 1; i < ts.length; i++) expect(s.y(ts[i]!)).toBeGreaterThanOrEqual(s.y(ts[i - 1]!));
  });
});
