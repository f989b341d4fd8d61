// Counterexamples that long `synack check` runs found, each a false alarm of an invariant (the engine was
// right, the rule was read too narrowly), kept as scenario files in test/check/fixtures/ with the seed and
// profile they failed under. Each run must show the situation that tripped the rule, and every invariant of
// `synack check` must hold on it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECK_INVARIANTS } from '../../src/check/command-invariants.js';
import { runScenario } from '../../src/check/index.js';
import type { ScenarioText } from '../../src/check/scenario-text.js';
import type { SegmentEvent, StateEvent, Trace } from '../../src/sim/trace.js';

const fixture = (name: string) => parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.yaml`), 'utf8')) as ScenarioText;
const segments = (trace: Trace) => trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
const states = (trace: Trace) => trace.events.filter((e): e is StateEvent => e.kind === 'state');

const CASES: Array<{ name: string; profile: 'linux' | 'rfc9293'; seed: number; shows: (trace: Trace) => void }> = [
  {
    name: 'two-isns',
    profile: 'linux',
    seed: 0,
    shows: (trace) => {
      // The server answered one client port twice, with two ISNs: a lost SYN cookie SYN-ACK, then a request sock's.
      const synAcks = segments(trace).filter((s) => s.flags.join() === 'SYN,ACK' && s.dst === '10.0.0.1:56092');
      expect(new Set(synAcks.map((s) => s.seq)).size).toBe(2);
    },
  },
  {
    name: 'fin-at-listener',
    profile: 'linux',
    seed: 2755805645,
    shows: (trace) => {
      // The client's FIN arrives before the server has a socket for the 4-tuple (the cookie's ACK comes later).
      const fin = segments(trace).find((s) => s.src === '10.0.0.1:44054' && s.flags.includes('FIN'))!;
      const born = states(trace).find((s) => s.endpoint === '10.0.0.2:80' && s.peer === '10.0.0.1:44054')!;
      expect(fin.arrival!).toBeLessThan(born.t);
    },
  },
  {
    name: 'fin-behind-data',
    profile: 'rfc9293',
    seed: 4294967290,
    shows: (trace) => {
      // The client closed first, but its FIN went out behind queued data after the server's FIN arrived.
      const client = states(trace).filter((s) => s.endpoint === '10.0.0.1:60366');
      expect(client.map((s) => s.to)).toEqual(expect.arrayContaining(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']));
      const closing = client.find((s) => s.to === 'CLOSING')!;
      const fin = segments(trace).find((s) => s.src === '10.0.0.1:60366' && s.flags.includes('FIN'))!;
      expect(fin.t).toBeGreaterThan(closing.t);
    },
  },
  {
    name: 'cookie-again',
    profile: 'linux',
    seed: 0,
    shows: (trace) => {
      // Two connections on one 4-tuple at the server, the second made by a SYN cookie's ACK (no SYN between).
      const born = states(trace).filter((s) => s.endpoint === '10.0.0.2:80' && s.peer === '10.0.0.1:56092' && s.from === 'LISTEN');
      expect(born).toHaveLength(2);
      const synsBetween = segments(trace).filter((s) => s.flags.includes('SYN') && s.t > born[0]!.t && s.t < born[1]!.t && s.src === '10.0.0.1:56092');
      expect(synsBetween).toEqual([]);
    },
  },
];

describe('counterexamples found by long synack check runs', () => {
  for (const c of CASES) {
    it(`${c.name}: the situation happens, and every invariant holds`, async () => {
      const { trace, context } = await runScenario(fixture(c.name), { profile: c.profile, seed: c.seed });
      c.shows(trace);
      const broken = CHECK_INVARIANTS.flatMap((inv) => inv.check(trace, context).map((v) => `${inv.name}: ${v.message}`));
      expect(broken).toEqual([]);
    });
  }
});
