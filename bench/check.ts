// Issue 12, "Speed: report scenarios checked per second": the default `synack check` (random scenarios, every
// invariant of CHECK_INVARIANTS, fast-check choosing the runs) timed on the built dist/ when it exists, else on
// the sources. Prints one line. Run: npm run build && node --import tsx bench/check.ts [RUNS] (default 500).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './engine-api.js';

type CheckProperties = typeof import('../src/check/command-run.js').checkProperties;

/** Scenarios checked per second over `runs` runs of the default check (seed 1, linux). */
export async function scenariosPerSecond(runs: number): Promise<{ runs: number; ms: number; perSecond: number; from: string }> {
  const dist = join(repoRoot(), 'dist', 'check', 'command-run.js');
  const from = existsSync(dist) ? 'dist' : 'src';
  // Not a literal: the bench build (tsconfig.bench.json) must not compile the sources along.
  const sources = new URL('../src/check/command-run.ts', import.meta.url).href;
  const mod = (await import(from === 'dist' ? pathToFileURL(dist).href : sources)) as { checkProperties: CheckProperties };
  const start = performance.now();
  const report = await mod.checkProperties({ runs, seed: 1, profile: 'linux' });
  const ms = performance.now() - start;
  if (report.failure) throw new Error(`bench: the check failed: ${report.failure.problems[0]?.message ?? 'the run failed'}`);
  return { runs: report.runs, ms, perSecond: (report.runs / ms) * 1000, from };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = Number(process.argv[2] ?? 500);
  const r = await scenariosPerSecond(runs);
  process.stdout.write(`synack check: ${r.runs} random scenarios checked in ${(r.ms / 1000).toFixed(2)} s: ${r.perSecond.toFixed(1)} scenarios/s (${r.from})\n`);
}
