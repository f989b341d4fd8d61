// synack check runs a random scenario from the data it was made as (no YAML parse), and shows its YAML text.
// The two must be the same scenario: parsing the data gives what parsing the text gives, for many cases.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomCases } from '../../src/check/command-run.js';
import { parseScenarioText, parseScenarioValue } from '../../src/scenarios/file/parse.js';

describe("synack check's cases: data and text", () => {
  it('parse to the same scenario file, with and without a loss range', () => {
    for (const loss of [undefined, [0, 0.2] as const]) {
      const cases = fc.sample(randomCases({ runs: 1, seed: 1, profile: 'linux', ...(loss ? { loss } : {}) }), { numRuns: 150, seed: 42 });
      for (const c of cases) {
        const fromValue = parseScenarioValue(c.value);
        expect(fromValue).toBeDefined();
        expect(fromValue).toEqual(parseScenarioText(c.text, c.name));
      }
    }
  });

  it('refuses data that is no scenario, so the text is parsed for the message', () => {
    expect(parseScenarioValue({ hosts: {} })).toBeUndefined();
    expect(parseScenarioValue('summary: x')).toBeUndefined();
    expect(parseScenarioValue(null)).toBeUndefined();
  });
});
