// Property: the simulator is deterministic. The same seed and the same inputs (profile, link,
// faults, programs) give a byte-identical trace, whatever else runs in the same process at the
// same time; the seed is what varies a run (one PRNG feeds ISNs, ports and link fates).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/sim/world.js';
import { LINUX, RFC9293 } from '../../src/tcp/profile.js';
import { fcOptions, linkArb, profileArb, segmentEvents } from './harness.js';
import { buildRandomWorld, randomWorldArb, type RandomWorld } from './random-programs.js';
import { buildStreamWorld, streamCaseArb, type StreamCase } from './streams.js';

/** Everything observable about a run: the trace as JSON and how each program ended (or the engine's error). */
async function observe(world: World): Promise<string> {
  try {
    const trace = await world.run();
    return JSON.stringify({ trace, outcomes: world.outcomes() });
  } catch (e) {
    // A run that throws must throw the same way every time, after the same trace.
    return JSON.stringify({ error: e instanceof Error ? e.message : String(e), partial: world.trace(), outcomes: world.outcomes() });
  }
}

/** Runs three copies of the same world, two of them interleaved on the event loop, and a stranger between. */
async function runThrice(build: () => World, stranger: () => World): Promise<[string, string, string]> {
  const [a, b] = await Promise.all([observe(build()), observe(build()), observe(stranger())]);
  const c = await observe(build());
  return [a, b, c];
}

function firstDivergence(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `runs differ at character ${i}: …${a.slice(Math.max(0, i - 120), i + 80)}… vs …${b.slice(Math.max(0, i - 120), i + 80)}…`;
}

function expectIdentical([a, b, c]: [string, string, string]): void {
  if (a !== b) throw new Error(`interleaved runs: ${firstDivergence(a, b)}`);
  if (a !== c) throw new Error(`later run: ${firstDivergence(a, c)}`);
}

describe('determinism: same seed and inputs give a byte-identical trace', () => {
  it('random small programs over a link with random loss, duplication, reordering and jitter', async () => {
    await fc.assert(
      fc.asyncProperty(
        randomWorldArb({ loss: 0.3, duplicate: 0.3, reorder: 0.3, maxFaults: 3 }),
        randomWorldArb({ loss: 0.3, duplicate: 0.3, reorder: 0.3, maxFaults: 3 }),
        async (w: RandomWorld, other: RandomWorld) => {
          expectIdentical(await runThrice(() => buildRandomWorld(w), () => buildRandomWorld(other)));
        },
      ),
      fcOptions(200),
    );
  });

  it('bulk transfers both ways over a faulty link, both profiles', async () => {
    const arb = streamCaseArb(profileArb, linkArb({ loss: 0.2, duplicate: 0.2, reorder: 0.2 }), 60_000);
    await fc.assert(
      fc.asyncProperty(arb, arb, async (c: StreamCase, other: StreamCase) => {
        expectIdentical(await runThrice(() => buildStreamWorld(c).world, () => buildStreamWorld(other).world));
      }),
      fcOptions(40),
    );
  });

  it('different seeds over a lossy link give different runs: ISNs, ports and the link draws all move', async () => {
    const link = { latency: 2000, jitter: 1000, loss: 0.2, duplicate: 0.1, reorder: 0.1, reorderDelay: 3000 };
    for (const profile of [LINUX, RFC9293]) {
      const c = (seed: number): StreamCase => ({
        seed,
        profile,
        link,
        nodelay: false,
        up: { sizes: [30_000], recvSizes: [4096], key: 1 },
        down: { sizes: [5_000], recvSizes: [4096], key: 2 },
      });
      const [one, two] = await Promise.all([observe(buildStreamWorld(c(1)).world), observe(buildStreamWorld(c(2)).world)]);
      expect(one).not.toBe(two);
      const parse = (s: string) => JSON.parse(s) as { trace: Parameters<typeof segmentEvents>[0] };
      const segs1 = segmentEvents(parse(one).trace);
      const segs2 = segmentEvents(parse(two).trace);
      // The first SYN's sequence number (the ISN) and source port come from the seed...
      expect(segs1[0]!.seq).not.toBe(segs2[0]!.seq);
      expect(segs1[0]!.src).not.toBe(segs2[0]!.src);
      // ...and so does which packets the link loses: the pattern of fates differs.
      const fates = (segs: typeof segs1) => segs.slice(0, 60).map((s) => s.fate).join(',');
      expect(fates(segs1)).not.toBe(fates(segs2));
      expect(segs1.some((s) => s.fate === 'dropped')).toBe(true);
    }
  });
});
