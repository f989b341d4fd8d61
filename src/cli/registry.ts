// Where the built-in scenarios come from. main() takes a registry so tests can give their own; the real one
// (src/scenarios/index.ts) is imported only when a command needs it.
import type { Scenario } from '../scenarios/types.js';

export type Registry = readonly Scenario[] | (() => Promise<readonly Scenario[]>);

export async function loadDefaultScenarios(): Promise<readonly Scenario[]> {
  const { SCENARIOS } = await import('../scenarios/index.js');
  return SCENARIOS;
}

export async function scenariosOf(registry: Registry): Promise<readonly Scenario[]> {
  return typeof registry === 'function' ? registry() : registry;
}
