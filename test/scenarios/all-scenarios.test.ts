// Properties every built-in scenario must have: a test of its own in this folder, the same JSON for
// the same seed, a run under both profiles, and state events that follow the statechart.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/scenarios/index.js';
import type { StateEvent } from '../../src/sim/trace.js';
import type { ProfileName } from '../../src/tcp/profile.js';
import { TCP_STATES, type TcpState } from '../../src/tcp/states.js';
import { isEdge } from '../../src/tcp/transitions.js';
import { eventsOfKind, runScenario } from './trace-query.js';

const PROFILES: ProfileName[] = ['linux', 'rfc9293'];
const HERE = dirname(fileURLToPath(import.meta.url));

function isTcpState(s: string): s is TcpState {
  return (TCP_STATES as readonly string[]).includes(s);
}

describe('the built-in scenarios', () => {
  it('are the 26 listed, each with a describe() block of its own in test/scenarios', () => {
    expect(SCENARIOS).toHaveLength(26);
    const sources = readdirSync(HERE)
      .filter((f) => f.endsWith('.test.ts') && f !== 'all-scenarios.test.ts')
      .map((f) => readFileSync(join(HERE, f), 'utf8'))
      .join('\n');
    const untested = SCENARIOS.map((s) => s.name).filter((name) => !sources.includes(`describe('${name}'`));
    expect(untested).toEqual([]);
  });

  it.each(SCENARIOS.map((s) => s.name))('%s: the same seed gives byte-identical JSON', async (name) => {
    const scenario = SCENARIOS.find((s) => s.name === name)!;
    for (const profile of PROFILES) {
      const a = JSON.stringify(await scenario.run({ profile, seed: 7 }));
      const b = JSON.stringify(await scenario.run({ profile, seed: 7 }));
      expect(a).toBe(b);
    }
  });

  describe.each(PROFILES)('under %s', (profile) => {
    it.each(SCENARIOS.map((s) => s.name))('%s runs, in time order, and every state change is an edge of the statechart', async (name) => {
      const trace = await runScenario(name, profile, 1);
      expect(trace).toMatchObject({ format: 'synack-trace', version: 1, scenario: name, profile, seed: 1 });
      expect(trace.events.length).toBeGreaterThan(0);
      for (let i = 1; i < trace.events.length; i++) {
        expect(trace.events[i]!.t, `event ${i} goes back in time`).toBeGreaterThanOrEqual(trace.events[i - 1]!.t);
      }

      const last = new Map<string, StateEvent>();
      for (const e of eventsOfKind(trace, 'state')) {
        const where = `${e.host} socket ${e.socket} at t=${e.t}: ${e.from} -> ${e.to} (${e.cause})`;
        expect(isTcpState(e.from) && isTcpState(e.to), where).toBe(true);
        expect(e.from, where).not.toBe(e.to);
        expect(isEdge(e.from as TcpState, e.to as TcpState), `${where} is not an edge`).toBe(true);
        // Each socket's changes chain: a change starts where the previous one ended.
        const key = `${e.host}/${e.socket}`;
        const previous = last.get(key);
        if (previous) expect(e.from, `${where} after ${previous.from} -> ${previous.to}`).toBe(previous.to);
        last.set(key, e);
      }
    });
  });
});
