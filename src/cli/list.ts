// `synack list`: the built-in scenarios, names aligned.
import type { Scenario } from '../scenarios/types.js';

export function formatScenarioList(scenarios: readonly Scenario[]): string {
  if (scenarios.length === 0) return '(no built-in scenarios yet)\n';
  const nameWidth = Math.max(...scenarios.map((s) => s.name.length));
  return scenarios.map((s) => `${s.name.padEnd(nameWidth)}  ${s.summary}\n`).join('');
}
