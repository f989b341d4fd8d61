// The CPU profile summary of docs/benchmarks.md: self time per function from the samples' intervals.
import { describe, expect, it } from 'vitest';
import { selfTimes, type CpuProfile } from '../../bench/profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

describe('selfTimes', () => {
  it('sums each sample interval into the function it landed in, largest first, with file and 1-based line', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)') },
        { id: 2, callFrame: frame('flushHost', 'file:///repo/dist/sim/world.js', 9) },
        { id: 3, callFrame: frame('', 'file:///elsewhere/x.js', 0) },
        { id: 4, callFrame: frame('(garbage collector)') },
      ],
      samples: [2, 2, 3, 4, 2],
      timeDeltas: [1000, 3000, 2000, 4000, 2000],
      startTime: 0,
      endTime: 12000,
    };
    expect(selfTimes(profile, '/repo')).toEqual([
      { where: 'flushHost (dist/sim/world.js:10)', ms: 6, share: 0.5 },
      { where: '(garbage collector)', ms: 4, share: 4 / 12 },
      { where: '(anonymous) (/elsewhere/x.js:1)', ms: 2, share: 2 / 12 },
    ]);
  });

  it('keeps the top n', () => {
    const nodes = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, callFrame: frame(`f${i}`) }));
    const profile: CpuProfile = { nodes, samples: [1, 2, 3, 4, 5], timeDeltas: [5, 4, 3, 2, 1], startTime: 0, endTime: 15 };
    expect(selfTimes(profile, '/repo', 2).map((s) => s.where)).toEqual(['f0', 'f1']);
  });
});
