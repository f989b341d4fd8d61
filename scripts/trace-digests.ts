// Determinism guard for engine changes (issue 11: "same seed, same bytes out"): prints a SHA-256 of the trace
// JSON of every built-in scenario under both profiles and several seeds, plus the check command's default run.
// Compare two trees: `node --import tsx scripts/trace-digests.ts > after.txt` here and in a worktree of the
// base commit, then `diff`. (A tool for engine work, not a test: its expected output would be its own.)
import { createHash } from 'node:crypto';
import { SCENARIOS } from '../src/scenarios/index.js';
import { World } from '../src/sim/world.js';
import { program } from '../src/socket/index.js';
import { LINUX } from '../src/tcp/profile.js';
import { flagsFromNames } from '../src/wire/segment.js';
import { idle, lifecycle } from '../bench/workloads.js';

const seeds = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
let all = createHash('sha256');
for (const scenario of SCENARIOS) {
  for (const profile of ['linux', 'rfc9293'] as const) {
    for (const seed of seeds) {
      let line: string;
      try {
        const { trace } = await scenario.execute!({ profile, seed });
        const digest = createHash('sha256').update(JSON.stringify(trace)).digest('hex').slice(0, 16);
        line = `${scenario.name} ${profile} ${seed} ${digest} ${trace.events.length}`;
      } catch (e) {
        line = `${scenario.name} ${profile} ${seed} error ${(e as Error).message.split('\n')[0]}`;
      }
      all = all.update(line);
      console.log(line);
    }
  }
}
// The benchmark's workloads, small: many connections at once (waiters, ports, timers).
const engine = { World, LINUX, program, flagsFromNames };
for (const [name, run] of [
  ['lifecycle 3000x100', () => lifecycle(engine, { trace: true, connections: 3000, concurrency: 100, keepTrace: true })],
  ['lifecycle 2000x1', () => lifecycle(engine, { trace: true, connections: 2000, concurrency: 1, keepTrace: true })],
  ['idle 3000', () => idle(engine, { trace: true, connections: 3000, keepTrace: true })],
] as const) {
  const { trace } = await run();
  const line = `${name} ${createHash('sha256').update(JSON.stringify(trace)).digest('hex').slice(0, 16)} ${trace?.events.length}`;
  all = all.update(line);
  console.log(line);
}
console.log(`all ${all.digest('hex').slice(0, 16)}`);
