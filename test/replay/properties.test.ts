// Properties: the engine is a correct stack, so replaying any of its runs (as a capture at the
// sending hosts would record it) raises no violation and infers the states the engine recorded —
// up to the changes a capture cannot show, each named in trace-oracle.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { replayPackets } from '../../src/replay/replay.js';
import { compareWithTrace, type Unobservable } from './trace-oracle.js';
import { fcSettings, randomRunArb, runProgram, type RandomRun } from './random-runs.js';

function describeRun(r: RandomRun): string {
  return `${r.kind} ${r.profile.name} seed ${r.seed} size ${r.size} link ${JSON.stringify(r.link)}`;
}

async function check(r: RandomRun, allowed: ReadonlySet<Unobservable>): Promise<void> {
  const trace = await runProgram(r);
  const packets = packetsFromTrace(trace);
  const report = replayPackets(packets, { profile: r.profile.name });
  const cmp = compareWithTrace(trace, packets, report);
  const where = describeRun(r);
  expect(cmp.violations, where).toEqual([]);
  expect(cmp.mismatches, where).toEqual([]);
  expect(cmp.unmatched, where).toEqual([]);
  const excused = cmp.excused.map((e) => e.slice(e.lastIndexOf(': ') + 2) as Unobservable);
  expect(excused.filter((why) => !allowed.has(why)), where).toEqual([]);
}

describe('replaying the engine\'s runs', () => {
  it('over a lossy link (FIFO): no violation, the engine\'s states', async () => {
    const allowed = new Set<Unobservable>(['timer-after-capture', 'close-without-fin', 'close-shows-at-fin', 'last-rst-lost', 'fin-lost-before-reset']);
    await fc.assert(
      fc.asyncProperty(randomRunArb({ loss: 0.25, reorder: 0 }), (r) => check(r, allowed)),
      fcSettings(60),
    );
  }, 120_000);

  it('over a lossy, reordering link: no violation, the engine\'s states up to what reordering hides', async () => {
    const allowed = new Set<Unobservable>([
      'timer-after-capture',
      'close-without-fin',
      'close-shows-at-fin',
      'last-rst-lost',
      'fin-lost-before-reset',
      'ack-overtook-fin',
      'ack-overtook-data',
    ]);
    await fc.assert(
      fc.asyncProperty(randomRunArb({ loss: 0.25, reorder: 0.25 }), (r) => check(r, allowed)),
      fcSettings(60),
    );
  }, 120_000);
});
