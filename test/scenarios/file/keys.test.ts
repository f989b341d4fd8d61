// The "expected one of" lists in unknown-key messages (keys.ts) name keys the schema really accepts:
// each listed key, given a value of the wrong kind, draws a complaint about its value, never "unknown key".
import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { allowedKeys } from '../../../src/scenarios/file/keys.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import { CALLS } from '../../../src/scenarios/file/steps.js';

const BASE = {
  summary: 's',
  hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
  link: {},
  links: [{ between: ['client', 'server'] }],
  faults: [{ action: 'drop' }],
  inject: [{ at: 1, from: '1.2.3.4:5', to: 'server:80', flags: 'SYN' }],
  programs: [{ host: 'client', steps: [{ socket: 's' }, { repeat: { times: 1, steps: [{ sleep: 1 }] } }] }],
  expect: [{ host: 'client', socket: 's', state: 'CLOSED' }],
} as Record<string, unknown>;

/** The problems when `key` at `path` in BASE is set to a value of no valid kind. */
function problemsWith(path: Array<string | number>, key: string): string[] {
  const doc = structuredClone(BASE);
  let at: Record<string | number, unknown> = doc;
  for (const k of path) at = at[k] as Record<string | number, unknown>;
  at[key] = { surely: ['not', 'valid'] };
  try {
    parseScenarioText(JSON.stringify(doc), 'k.json');
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioFileError)) throw e;
    return e.problems.map((p) => p.message);
  }
}

const PLACES: Array<Array<string | number>> = [[], ['hosts', 'client'], ['link'], ['links', 0], ['faults', 0], ['inject', 0], ['programs', 0], ['expect', 0], ['programs', 0, 'steps', 1, 'repeat']];

describe('allowed keys', () => {
  for (const place of PLACES) {
    it(`at ${place.join('.') || 'the top'}: every listed key is one the schema knows`, () => {
      const keys = allowedKeys(place)!;
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const problems = problemsWith(place, key);
        expect(problems.length, key).toBeGreaterThan(0);
        expect(problems.some((m) => m.startsWith(`unknown key "${key}"`)), key).toBe(false);
      }
    });
  }

  it('a step may hold any call and the modifiers, and each call lists its own arguments', () => {
    expect(allowedKeys(['programs', 0, 'steps', 0])).toEqual([...Object.keys(CALLS), 'repeat', 'at', 'expect']);
    expect(allowedKeys(['programs', 0, 'steps', 0, 'bind'])).toEqual(['socket', 'address', 'port']);
  });
});
