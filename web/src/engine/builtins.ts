// The built-in scenarios (scenarios/*.yaml at the top of the repository) bundled into the page by
// Vite, parsed with the same code as `synack list` (src/scenarios/file/), never its node:fs loader.
/// <reference path="./vite-env.d.ts" />
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { scenarioNameOf } from '../../../src/scenarios/file/name.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import type { ScenarioFile } from '../../../src/scenarios/file/schema.js';

export interface BuiltinScenario {
  /** As on the command line: "three-way-handshake". */
  name: string;
  summary: string;
  file: ScenarioFile;
  /** The file's text, for showing it and for sharing it in a URL. */
  text: string;
}

/** File path (any folder prefix) -> text, in the numbered order of the file names, as `synack list` shows them. */
export function builtinsFromTexts(texts: Readonly<Record<string, string>>): BuiltinScenario[] {
  const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  return Object.keys(texts)
    .filter((path) => /\.(ya?ml|json)$/i.test(path))
    .sort((x, y) => (base(x) < base(y) ? -1 : base(x) > base(y) ? 1 : 0))
    .map((path) => {
      const text = texts[path]!;
      const source = `scenarios/${base(path)}`;
      const file = parseScenarioText(text, source);
      const scenario = scenarioFromFile(file, scenarioNameOf(path), source);
      return { name: scenario.name, summary: scenario.summary, file, text };
    });
}

let parsed: BuiltinScenario[] | undefined;

/** The built-ins, bundled at build time (Vite inlines each file's text); parsed on first call. */
export function builtinScenarios(): BuiltinScenario[] {
  parsed ??= builtinsFromTexts(import.meta.glob<string>('../../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }));
  return parsed;
}
