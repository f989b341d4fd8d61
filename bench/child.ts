// One measurement in a process of its own (a fresh heap, its own GC, --expose-gc or --cpu-prof when asked),
// started by bench/run.ts: `node dist-bench/bench/child.js '<job JSON>'`. Prints "PROGRESS n" lines and one
// "RESULT <json>" line. At the job's time cap it prints what it reached and exits (a --cpu-prof profile is
// still written on process.exit); the parent also kills it if it does not.
import { distEngine } from './engine-api.js';
import { bulk, flood, idle, lifecycle, traceOffAvailable } from './workloads.js';
import { realBulk, realLifecycle } from './real.js';

export type Job =
  | { kind: 'lifecycle'; connections: number; concurrency: number; trace: boolean; capMs: number }
  | { kind: 'bulk'; bytes: number; trace: boolean; capMs: number }
  | { kind: 'idle'; connections: number; trace: boolean; capMs: number }
  | { kind: 'flood'; syns: number; clients: number; trace: boolean; capMs: number }
  | { kind: 'traceOff'; capMs: number }
  | { kind: 'realLifecycle'; connections: number; concurrency: number; capMs: number }
  | { kind: 'realBulk'; bytes: number; runs: number; capMs: number };

let progress = 0;
const onProgress = (n: number) => {
  progress = n;
  process.stdout.write(`PROGRESS ${n}\n`);
};

async function runJob(job: Job): Promise<unknown> {
  if (job.kind === 'realLifecycle') return realLifecycle(job.connections, job.concurrency, job.capMs * 0.9);
  if (job.kind === 'realBulk') {
    const runs = [];
    for (let i = 0; i < job.runs; i++) runs.push(await realBulk(job.bytes));
    return runs;
  }
  const engine = await distEngine();
  switch (job.kind) {
    case 'traceOff':
      return { available: await traceOffAvailable(engine) };
    case 'lifecycle':
      return lifecycle(engine, { trace: job.trace, connections: job.connections, concurrency: job.concurrency, onProgress });
    case 'bulk':
      return bulk(engine, { trace: job.trace, bytes: job.bytes });
    case 'idle':
      return idle(engine, { trace: job.trace, connections: job.connections, onProgress });
    case 'flood':
      return flood(engine, { trace: job.trace, syns: job.syns, clients: job.clients });
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const cap = setTimeout(() => {
  process.stdout.write(`RESULT ${JSON.stringify({ capped: true, progress })}\n`);
  process.exit(0);
}, job.capMs);
try {
  const result = await runJob(job);
  clearTimeout(cap);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (err) {
  clearTimeout(cap);
  process.stdout.write(`RESULT ${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(0);
}
