// The parts of the run budget that can be counted before the run: rounds of nested `times` loops, steps
// the programs must execute at least, and segments the `inject` entries send. Checked when the file is
// read, so such a file is refused with a position instead of being stopped part way through.
import { DEFAULT_BUDGET, MAX_INJECTED, MAX_ROUNDS } from './limits.js';
import type { ScenarioFile } from './schema.js';
import type { SemanticProblem } from './semantics.js';
import type { Step } from './steps.js';

export function checkStaticLimits(f: ScenarioFile): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  let steps = 0;
  f.programs.forEach((p, i) => {
    const path = ['programs', i, 'steps'];
    const rounds = deepestRounds(p.steps, path, 1);
    if (rounds) {
      out.push({ path: rounds.path, message: `nested repeat loops run their innermost steps ${rounds.factors.join(' x ')} = ${rounds.product} times: expected at most ${MAX_ROUNDS} rounds in all` });
      return;
    }
    steps += leastSteps(p.steps);
    if (steps > DEFAULT_BUDGET.steps) {
      out.push({ path, message: `the programs up to this one make at least ${steps} steps (repeat times counted out): expected at most ${DEFAULT_BUDGET.steps} steps in a run` });
      steps = -Infinity; // one report is enough
    }
  });
  let injected = 0;
  f.inject.forEach((inj, i) => {
    injected += inj.count * inj.at.length;
    if (injected > MAX_INJECTED) {
      out.push({ path: ['inject', i], message: `inject sends ${injected} segments up to here (count ${inj.count} x ${inj.at.length} times here): expected at most ${MAX_INJECTED} injected segments in a run` });
      injected = -Infinity;
    }
  });
  return out;
}

/** The first `times` loop whose rounds, multiplied by those of the `times` loops around it, pass MAX_ROUNDS. */
function deepestRounds(steps: Step[], path: PropertyKey[], outer: number, factors: number[] = []): { path: PropertyKey[]; factors: number[]; product: number } | undefined {
  for (const [j, step] of steps.entries()) {
    if (step.call !== 'repeat') continue;
    const here = [...path, j, 'repeat'];
    const own = step.times ?? 1; // an until-loop's rounds are not known before the run: the step budget counts them
    const product = outer * own;
    const chain = step.times !== undefined ? [...factors, own] : factors;
    if (product > MAX_ROUNDS) return { path: [...here, 'times'], factors: chain, product };
    const inner = deepestRounds(step.steps, [...here, 'steps'], product, chain);
    if (inner) return inner;
  }
  return undefined;
}

/** Steps a program executes at least: `times` loops multiplied out, until-loops counted once. */
function leastSteps(steps: Step[]): number {
  let n = 0;
  for (const step of steps) n += 1 + (step.call === 'repeat' ? (step.times ?? 1) * leastSteps(step.steps) : 0);
  return n;
}
