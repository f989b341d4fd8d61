// Whatever text a scenario file holds, the parser returns a scenario or throws a ScenarioFileError with
// positions: never another exception, never a hang. Random text, and the built-in files mutated.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { BUILTIN_DIR } from '../../../src/scenarios/file/load.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
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

  it('every built-in file parses as it is', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(19);
    for (const text of FILES) expect(parsesOrExplains(text)).toBe(true);
  });
});
