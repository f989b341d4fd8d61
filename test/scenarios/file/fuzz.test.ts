// Whatever text a scenario file holds, the parser returns a scenario or throws a ScenarioFileError with
// positions: never another exception, never a hang. Random text, and the built-in files mutated; a file
// that parses also builds and runs (for a short while) with no error but the documented RunBudgetError.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { BUILTIN_DIR } from '../../../src/scenarios/file/load.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { RunBudgetError } from '../../../src/sim/world.js';
import { fcOptions } from '../../properties/harness.js';

const FILES = readdirSync(BUILTIN_DIR).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(BUILTIN_DIR, f), 'utf8'));

function parsesOrExplains(text: string): boolean {
  try {
    parseScenarioText(text, 'fuzz.yaml');
    return true;
  } catch (e) {
    if (!(e instanceof ScenarioFileError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.col).toBeGreaterThanOrEqual(1);
      expect(p.message).not.toMatch(/\n/);
    }
    return false;
  }
}

/** Parse, build and run for at most 0.5 s of virtual time: only ScenarioFileError or RunBudgetError may come out. */
async function runsOrExplains(text: string): Promise<void> {
  if (!parsesOrExplains(text)) return;
  const file = parseScenarioText(text, 'fuzz.yaml');
  const short = { ...file, until: Math.min(file.until ?? Infinity, 500_000) };
  try {
    await scenarioFromFile(short, 'fuzz', 'fuzz.yaml', { events: 20_000, steps: 5_000 }).execute!({ profile: 'linux', seed: 1 });
  } catch (e) {
    if (!(e instanceof RunBudgetError)) throw e;
  }
}

/** Numbers at and past the limits, for the mutations below. */
const hostile = fc.constantFrom('86400', '"1440min"', '0', '0.000001', '1', '255', '65535', '100000', '2147483647', '86401', '1e300', '.inf', '-1', '4294967296');

/** Text with YAML's structural characters over-represented. */
const yamlish = fc.array(fc.oneof(
  fc.constantFrom('\n', '  ', ': ', '- ', '[', ']', '{', '}', ',', '&a ', '*a', '"', "'", '#', '!!str ', '---\n', 'summary', 'hosts', 'programs', 'steps', 'socket', 'connect'),
  fc.string({ maxLength: 8 }),
), { maxLength: 80 }).map((parts) => parts.join(''));

/** A built-in file with a few edits: a slice deleted, text inserted, or two slices swapped. */
const mutated = fc.tuple(fc.constantFrom(...FILES), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.oneof(fc.constant(''), fc.string({ maxLength: 12 }), fc.constantFrom(': ', '\n  ', '- ', '{', ']', 'x: 1', '*a'))), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => edits.reduce((t, [at, drop, insert]) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + insert + t.slice(i + drop);
  }, text));

describe('the scenario parser on arbitrary input', () => {
  it('random YAML-ish text: a scenario or a positioned ScenarioFileError', () => {
    fc.assert(fc.property(yamlish, (text) => {
      parsesOrExplains(text);
    }), fcOptions(300));
  });

  it('mutated built-in files: a scenario or a positioned ScenarioFileError', () => {
    fc.assert(fc.property(mutated, (text) => {
      parsesOrExplains(text);
    }), fcOptions(300));
  });

  it('mutated built-in files, numbers at and past their limits: parse, build and run, or a documented error', async () => {
    const numbers = /(?<=[:[,]\s*)(\d+(?:\.\d+)?|"\d+(?:\.\d+)?(?:us|ms|s|min)")(?=\s*[,}\]\n#])/g;
    const hostileFile = fc.tuple(fc.constantFrom(...FILES), fc.array(fc.tuple(fc.nat(), hostile), { minLength: 1, maxLength: 3 }))
      .map(([text, edits]) => {
        return edits.reduce((t, [at, value]) => {
          const spots = [...t.matchAll(numbers)];
          const m = spots[at % Math.max(1, spots.length)];
          return m?.index === undefined ? t : t.slice(0, m.index) + value + t.slice(m.index + m[0].length);
        }, text);
      });
    await fc.assert(fc.asyncProperty(fc.oneof({ arbitrary: hostileFile, weight: 3 }, { arbitrary: mutated, weight: 1 }), runsOrExplains), fcOptions(80));
  }, 60_000);

  it('every built-in file parses as it is', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(19);
    for (const text of FILES) expect(parsesOrExplains(text)).toBe(true);
  });
});
