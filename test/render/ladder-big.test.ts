// Issue 10: a ladder of more than ~125,000 rows overflowed the stack (Math.max(...rows)); --json worked on the same run.
// A synthetic trace of 200,000 segments must draw, one row each.
import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { makeTrace, segment } from './trace-builders.js';

describe('a ladder of 200,000 rows', () => {
  it('draws without overflowing the stack', () => {
    const rows = 200_000;
    const events = Array.from({ length: rows }, (_, i) =>
      i % 2 === 0
        ? segment(i * 1000, '10.0.0.1:40000', '10.0.0.2:80', ['ACK'], 1 + i, 1)
        : segment(i * 1000, '10.0.0.2:80', '10.0.0.1:40000', ['ACK'], 1, 1 + i),
    );
    const ladder = renderLadder(makeTrace(events), { width: 100, relative: false, timers: false });
    const lines = ladder.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(rows);
    // The last segment is drawn: its time, 199.999 s, is on a row.
    expect(ladder).toContain('199.999');
  }, 60_000);
});
