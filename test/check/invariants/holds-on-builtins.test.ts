// Every invariant holds on every built-in scenario, on both profiles (each with its file's knobs).
import { describe, expect, it } from 'vitest';
import { checkTrace, INVARIANTS } from '../../../src/check/index.js';
import { BUILTIN_NAMES, builtin } from './traces.js';

describe('the invariants hold on the built-in scenarios', () => {
  it('has the eight invariants, each with its RFC section', () => {
    expect(INVARIANTS.map((i) => i.name)).toEqual(['isn-agreement', 'bytes-delivered', 'time-wait-side', 'chart-edges', 'window-respected', 'time-wait-length', 'connect-outcome', 'backlog-limit']);
    for (const i of INVARIANTS) expect(i.rfc).toMatch(/^RFC \d+/);
  });
  for (const profile of ['linux', 'rfc9293'] as const) {
    for (const name of BUILTIN_NAMES) {
      it(`${name} (${profile})`, async () => {
        const { trace, context } = await builtin(name, profile);
        expect(checkTrace(trace, context).map((v) => v.message)).toEqual([]);
      });
    }
  }
});
