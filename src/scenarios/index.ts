// The built-in scenarios: the files in scenarios/ at the top of the package, in the order of their
// numbered names (what `synack list` shows). They are ordinary scenario files: read them, copy them.
import type { Scenario } from './types.js';
import { loadBuiltinScenarios } from './file/load.js';

export const SCENARIOS: Scenario[] = loadBuiltinScenarios();

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
