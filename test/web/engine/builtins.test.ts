// The gallery's built-in scenarios (web/src/engine/builtins.ts): the files in scenarios/, parsed with
// the CLI's own parser, named and ordered as `synack list` names and orders them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinScenarios, builtinsFromTexts } from '../../../web/src/engine/builtins.js';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { SCENARIOS } from '../../../src/scenarios/index.js';

const DIR = resolve(import.meta.dirname, '../../../scenarios');

/** The files as Vite's glob hands them over: path -> text, in no particular order. */
function textsFromDisk(): Record<string, string> {
  const names = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).reverse();
  return Object.fromEntries(names.map((f) => [`../../../scenarios/${f}`, readFileSync(join(DIR, f), 'utf8')]));
}

describe('the built-in scenarios in the page', () => {
  it('parses all 26 files, with the names and summaries `synack list` prints, in its order', () => {
    const builtins = builtinsFromTexts(textsFromDisk());
    expect(builtins).toHaveLength(26);
    expect(builtins.map((b) => ({ name: b.name, summary: b.summary }))).toEqual(SCENARIOS.map((s) => ({ name: s.name, summary: s.summary })));
  });

  it('names a file without its number and extension: 01-three-way-handshake.yaml is three-way-handshake', () => {
    const [first] = builtinsFromTexts(textsFromDisk());
    expect(first?.name).toBe('three-way-handshake');
    expect(first?.text).toBe(readFileSync(join(DIR, '01-three-way-handshake.yaml'), 'utf8'));
    expect(Object.keys(first!.file.hosts)).toEqual(['client', 'server']);
  });

  it('bundles the same files through import.meta.glob', () => {
    const fromDisk = builtinsFromTexts(textsFromDisk());
    const bundled = builtinScenarios();
    expect(bundled.map((b) => [b.name, b.text])).toEqual(fromDisk.map((b) => [b.name, b.text]));
  });

  it('reports a broken file as a ScenarioFileError naming it', () => {
    expect(() => builtinsFromTexts({ '../../../scenarios/99-broken.yaml': 'summary: [' })).toThrow(ScenarioFileError);
    expect(() => builtinsFromTexts({ '../../../scenarios/99-broken.yaml': 'summary: [' })).toThrow(/^scenarios\/99-broken\.yaml:\d+:\d+: /);
  });
});
