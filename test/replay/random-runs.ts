// Small client/server programs on a lossy, reordering link, for the replay's property tests: each
// ends in a different way (client closes first, server closes first, both close at once, half-close).
import fc from 'fast-check';
import { World } from '../../src/sim/world.js';
import type { LinkConfig } from '../../src/sim/link.js';
import type { Trace } from '../../src/sim/trace.js';
import { LINUX, RFC9293, type Profile } from '../../src/tcp/profile.js';
import { program, SHUT_WR } from '../../src/socket/index.js';
import { recvAllText } from '../properties/harness.js';

export const PROGRAMS = ['client-closes', 'server-closes', 'both-close', 'half-close'] as const;
export type ProgramKind = (typeof PROGRAMS)[number];

export interface RandomRun {
  kind: ProgramKind;
  profile: Profile;
  seed: number;
  /** Bytes the client sends (1..6000: one segment or several). */
  size: number;
  link: LinkConfig;
}

/** Runs one program pair; the run stops after 10 virtual minutes at the latest. */
export async function runProgram(r: RandomRun): Promise<Trace> {
  const world = new World({ seed: r.seed, profile: r.profile, link: r.link, faults: [], until: 600_000_000 });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  program(world, 'server', 'server', async (net) => {
    const l = net.tcp();
    l.bind(['', 80]);
    l.listen(5);
    const [c] = await l.accept();
    if (r.kind === 'server-closes') {
      await c.recv(65536);
      await c.sendall('x'.repeat(r.size));
      c.close();
      return;
    }
    if (r.kind === 'both-close') {
      await c.recv(65536);
      await net.sleep(Math.max(0, 2 - net.time()));
      c.close();
      return;
    }
    const got = await recvAllText(c);
    await c.sendall(`got ${got.length}`);
    c.close();
  });
  program(
    world,
    'client',
    'client',
    async (net) => {
      const s = net.tcp();
      try {
        await s.connect(['server', 80]);
      } catch {
        return; // gave up: the replay sees that too
      }
      await s.sendall('y'.repeat(r.size));
      if (r.kind === 'server-closes') {
        await recvAllText(s);
      } else if (r.kind === 'both-close') {
        await net.sleep(Math.max(0, 2 - net.time()));
      } else if (r.kind === 'half-close') {
        s.shutdown(SHUT_WR);
        await recvAllText(s);
      }
      s.close();
    },
    0.001,
  );
  return world.run();
}

function probability(max: number): fc.Arbitrary<number> {
  if (max <= 0) return fc.constant(0);
  return fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 1000 }).map((k) => (k / 1000) * max) });
}

export function randomRunArb(bounds: { loss: number; reorder: number }): fc.Arbitrary<RandomRun> {
  return fc.record({
    kind: fc.constantFrom(...PROGRAMS),
    profile: fc.constantFrom(LINUX, RFC9293),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    size: fc.integer({ min: 1, max: 6000 }),
    link: fc.record({
      latency: fc.integer({ min: 50, max: 20_000 }),
      jitter: fc.integer({ min: 0, max: 5_000 }),
      loss: probability(bounds.loss),
      duplicate: fc.constant(0),
      reorder: probability(bounds.reorder),
      reorderDelay: fc.integer({ min: 0, max: 20_000 }),
    }),
  });
}

/** fast-check settings: a pinned seed (the engine is deterministic); SYNACK_FC_SEED / SYNACK_FC_RUNS explore more. */
export function fcSettings(numRuns: number): { numRuns: number; seed: number } {
  const scale = Number(process.env.SYNACK_FC_RUNS ?? '1');
  const seed = process.env.SYNACK_FC_SEED;
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    seed: seed !== undefined && seed !== '' ? Number(seed) : 20_260_214,
  };
}
