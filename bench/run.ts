// npm run bench: the measurements of issue 11 ("The benchmark") in one run on one machine, each beside real
// node:net over 127.0.0.1 where it has a counterpart. Prints a table, writes docs/benchmarks.md and the
// headline line in README.md. Runs compiled (tsconfig.bench.json -> dist-bench/) on the engine in dist/;
// each measurement in a child process (bench/child.ts) with a time cap; the web rows through tsx (they
// build the app with Vite and drive Chromium: bench/web-render.ts).
// Knobs for a quick try (a run with any of them set does not write the doc or README unless BENCH_WRITE=1):
// BENCH_CAP_S (60), BENCH_SIZES (1000,10000,100000), BENCH_IDLE (100000,1000000), BENCH_FLOOD (1000000),
// BENCH_BULK_MB (64), BENCH_WEB=0, BENCH_PROFILE=0, BENCH_CHECK_RUNS (500), BENCH_CLI (2000,8000; 0: not run).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { scenariosPerSecond } from './check.js';
import { profileCliRun, timeCliRun, type CliRun } from './cli-run.js';
import type { Job } from './child.js';
import { repoRoot } from './engine-api.js';
import { repeatQuick, type Measured } from './measure.js';
import { selfTimes, type CpuProfile, type SelfTime } from './profile-summary.js';
import type { RealBulkResult, RealLifecycleResult } from './real.js';
import { targets, writeReport, type BenchRun } from './report.js';
import { runJob, type JobOutcome } from './spawn-job.js';
import type { BulkResult, FloodResult, IdleResult, LifecycleResult } from './workloads.js';

const env = process.env;
const list = (v: string | undefined, dflt: number[]) => (v ? v.split(',').map(Number) : dflt);
const CAP_MS = Number(env.BENCH_CAP_S ?? 60) * 1000;
const SIZES = list(env.BENCH_SIZES, [1000, 10_000, 100_000]);
const IDLE = list(env.BENCH_IDLE, [100_000, 1_000_000]);
const FLOOD_SYNS = Number(env.BENCH_FLOOD ?? 1_000_000);
const FLOOD_CLIENTS = 1000;
const BULK_BYTES = Number(env.BENCH_BULK_MB ?? 64) * 2 ** 20;
const PROFILE_CAP_MS = 20_000;
const CLI_SIZES = env.BENCH_CLI === '0' ? [] : list(env.BENCH_CLI, [2000, 8000]);
const customised = ['BENCH_CAP_S', 'BENCH_SIZES', 'BENCH_IDLE', 'BENCH_FLOOD', 'BENCH_BULK_MB', 'BENCH_WEB', 'BENCH_PROFILE', 'BENCH_CHECK_RUNS', 'BENCH_CLI'].some((k) => env[k] !== undefined);
const root = repoRoot();
const capText = `did not finish in ${CAP_MS / 1000} s`;

function fromOutcome<T>(o: JobOutcome<T>, total: number, check: (r: T) => Measured): Measured {
  if (o.status === 'ok') return check(o.result!);
  if (o.status === 'error') return { status: 'error', note: o.error ?? 'failed' };
  const reached = o.progress > 0 ? `: ${o.progress.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} done` : '';
  return { status: o.status, note: `${capText}${reached}${o.status === 'killed' ? ' (killed)' : ''}`, done: o.progress };
}

function say(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function simLifecycle(connections: number, concurrency: number, trace: boolean): Promise<Measured> {
  return repeatQuick(async () => {
    const o = await runJob<LifecycleResult>({ kind: 'lifecycle', connections, concurrency, trace, capMs: CAP_MS });
    return fromOutcome(o, connections, (r) =>
      r.clientClosed === connections && r.serverClosed === connections
        ? { status: 'ok', ms: r.ms, done: connections, ...(r.segments !== undefined ? { segments: r.segments } : {}) }
        : { status: 'error', note: `only ${r.clientClosed}/${r.serverClosed} of ${connections} closed (client/server)` },
    );
  });
}

async function realLifecycle(connections: number, concurrency: number): Promise<Measured> {
  return repeatQuick(async () => {
    const o = await runJob<RealLifecycleResult>({ kind: 'realLifecycle', connections, concurrency, capMs: CAP_MS });
    return fromOutcome(o, connections, (r) => {
      if (r.stoppedAtDeadline) return { status: 'capped', note: `${capText}: ${r.clientClosed.toLocaleString('en-US')} of ${connections.toLocaleString('en-US')} done`, done: r.clientClosed };
      if (r.clientClosed !== connections) return { status: 'error', note: `${r.clientClosed} of ${connections} completed; ${r.errors} errors (${r.firstError ?? ''})` };
      return { status: 'ok', ms: r.ms, done: connections };
    });
  });
}

/** A profile of `job` (node --cpu-prof, stopped at PROFILE_CAP_MS): its top functions by self time. */
async function profile(job: Job): Promise<SelfTime[] | string> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-prof-'));
  try {
    const o = await runJob({ ...job, capMs: PROFILE_CAP_MS }, ['--cpu-prof', '--cpu-prof-dir', dir, ...(job.kind === 'idle' ? ['--max-old-space-size=16384'] : [])]);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return `no profile written (${o.status})`;
    return selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, root, 12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The web rows: bench/web-render.ts through tsx (Vite and playwright), printing its rows as JSON. */
function webRows(): Promise<Array<{ name: string; value: string }> | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/web-render.ts'), '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      const line = /^ROWS (.*)$/m.exec(out)?.[1];
      if (line) resolve(JSON.parse(line) as Array<{ name: string; value: string }>);
      else resolve(`not measured: ${(out + err).trim().split('\n').slice(-2).join(' ') || `exit ${code}`}`);
    });
  });
}

/** Which engine was measured: when dist/ was built, and the commit checked out (with "+ changes" when src/ differs from it). */
function engineBuilt(): string {
  const built = statSync(join(root, 'dist/sim/world.js')).mtime.toISOString().replace('T', ' ').slice(0, 16);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD').stdout?.trim();
  const dirty = git('status', '--porcelain', '--', 'src').stdout?.trim();
  return `dist/ built ${built} UTC${head ? ` at commit ${head}${dirty ? ' + uncommitted changes in src/' : ''}` : ''}`;
}

const started = new Date();
const run: BenchRun = {
  date: started.toISOString().slice(0, 10),
  machine: {
    cpu: /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    engine: engineBuilt(),
    loadAtStart: loadavg() as [number, number, number],
  },
  capS: CAP_MS / 1000,
  bulkBytes: BULK_BYTES,
  traceOff: false,
  lifecycle: [],
  bulk: [],
  idle: [],
  flood: { status: 'not run' },
  profiles: [],
  web: 'not run',
  check: 'not run',
  customised,
};

say(`load average ${run.machine.loadAtStart.map((x) => x.toFixed(2)).join(' ')} on ${run.machine.cores} cores`);
const off = await runJob<{ available: boolean }>({ kind: 'traceOff', capMs: 30_000 });
run.traceOff = off.status === 'ok' && off.result!.available;
say(`World({ trace: false }): ${run.traceOff ? 'available' : 'not available in this engine'}`);
const notAvailable: Measured = { status: 'not available', note: 'World({ trace: false }) not available yet' };

// (1) lifecycles
for (const concurrency of [1, 100]) {
  const gaveUp = { real: false, on: false, off: false };
  for (const size of SIZES) {
    const skipped = (what: string): Measured => ({ status: 'not run', note: `not run: the smaller size ${what}` });
    const real = gaveUp.real ? skipped(capText) : await realLifecycle(size, concurrency);
    say(`lifecycle ${size} x${concurrency} node:net: ${real.status} ${real.ms?.toFixed(0) ?? ''}`);
    const on = gaveUp.on ? skipped(capText) : await simLifecycle(size, concurrency, true);
    say(`lifecycle ${size} x${concurrency} synack trace on: ${on.status} ${on.ms?.toFixed(0) ?? ''}`);
    let offRow = notAvailable;
    if (run.traceOff) {
      offRow = gaveUp.off ? skipped(capText) : await simLifecycle(size, concurrency, false);
      // Same seed, same segments: the count comes from the traced run.
      if (offRow.status === 'ok' && on.segments !== undefined) offRow = { ...offRow, segments: on.segments };
      say(`lifecycle ${size} x${concurrency} synack trace off: ${offRow.status} ${offRow.ms?.toFixed(0) ?? ''}`);
    }
    gaveUp.real ||= real.status !== 'ok';
    gaveUp.on ||= on.status !== 'ok';
    gaveUp.off ||= offRow.status !== 'ok';
    run.lifecycle.push({ concurrency, size, real, on, off: offRow });
  }
}

// (2, 3) bulk
{
  const o = await runJob<RealBulkResult[]>({ kind: 'realBulk', bytes: BULK_BYTES, runs: 5, capMs: CAP_MS });
  const real = fromOutcome(o, BULK_BYTES, (runs) => {
    const ok = runs.filter((r) => r.received === r.bytes);
    if (ok.length === 0) return { status: 'error', note: 'no run delivered every byte' };
    const sorted = ok.map((r) => r.ms).sort((a, b) => a - b);
    return { status: 'ok', ms: sorted[(sorted.length - 1) >> 1]!, done: BULK_BYTES, runs: ok.length };
  });
  run.bulk.push({ side: 'node:net', m: real });
  for (const trace of run.traceOff ? [true, false] : [true]) {
    const m = await repeatQuick(async () => {
      const r = await runJob<BulkResult>({ kind: 'bulk', bytes: BULK_BYTES, trace, capMs: CAP_MS });
      return fromOutcome(r, BULK_BYTES, (b) =>
        b.received === b.bytes ? { status: 'ok', ms: b.ms, done: b.bytes, ...(b.segments !== undefined ? { segments: b.segments } : {}) } : { status: 'error', note: `${b.received} of ${b.bytes} bytes arrived` },
      );
    });
    const traced = run.bulk.find((b) => b.side === 'synack, trace on')?.m;
    run.bulk.push({ side: trace ? 'synack, trace on' : 'synack, trace off', m: !trace && m.status === 'ok' && traced?.segments !== undefined ? { ...m, segments: traced.segments } : m });
    say(`bulk trace ${trace ? 'on' : 'off'}: ${m.status} ${m.ms?.toFixed(0) ?? ''}`);
  }
  if (!run.traceOff) run.bulk.push({ side: 'synack, trace off', m: notAvailable });
}

// (4) idle ESTABLISHED connections
{
  let gaveUp = false;
  for (const size of IDLE) {
    if (gaveUp) {
      run.idle.push({ size, m: { status: 'not run', note: `not run: the smaller size ${capText}` } });
      continue;
    }
    const o = await runJob<IdleResult>({ kind: 'idle', connections: size, trace: !run.traceOff, capMs: CAP_MS }, ['--expose-gc', '--max-old-space-size=16384']);
    const m = fromOutcome(o, size, (r) =>
      r.clientEstablished === size && r.serverEstablished === size
        ? { status: 'ok', ms: r.setupMs, done: size, ...(r.heapBytes !== undefined ? { heapBytes: r.heapBytes } : {}) }
        : { status: 'error', note: `${r.clientEstablished}/${r.serverEstablished} of ${size} established` },
    );
    run.idle.push({ size, m });
    gaveUp = m.status !== 'ok';
    say(`idle ${size}: ${m.status} ${m.ms?.toFixed(0) ?? ''}`);
  }
}

// (5) SYN flood
{
  const o = await runJob<FloodResult>({ kind: 'flood', syns: FLOOD_SYNS, clients: FLOOD_CLIENTS, trace: !run.traceOff, capMs: CAP_MS });
  run.flood = fromOutcome(o, FLOOD_SYNS, (r) => ({ status: 'ok', ms: r.ms, done: r.gotIn, note: `${r.gotIn} of ${r.clients} clients got in (${r.connected} connect() returned); ${r.synsInjected.toLocaleString('en-US')} SYNs injected` }));
  run.floodSyns = FLOOD_SYNS;
  say(`flood: ${run.flood.status} ${run.flood.ms?.toFixed(0) ?? ''}`);
}

// (7) the web's first render
if (env.BENCH_WEB !== '0') {
  say('web render (Vite build, Chromium)…');
  run.web = await webRows();
}

// (6) synack check: the default check (random scenarios, every invariant) for CHECK_RUNS runs
{
  const runs = Number(env.BENCH_CHECK_RUNS ?? 500);
  try {
    const r = await scenariosPerSecond(runs);
    run.check = `${r.perSecond.toFixed(0)} scenarios checked per second: the default \`synack check\` (random scenarios, every invariant) made ${r.runs} runs in ${(r.ms / 1000).toFixed(2)} s`;
  } catch (err) {
    run.check = `not measured: ${err instanceof Error ? err.message : String(err)}`;
  }
  say(run.check);
}

// (8) the CLI: `synack run FILE --json` of sequential lifecycles, the whole process timed, against node:net
if (CLI_SIZES.length > 0) {
  const rows: Array<{ size: number; m: CliRun }> = [];
  for (const size of CLI_SIZES) {
    const m: CliRun = rows.some((r) => r.m.status !== 'ok') ? { status: 'not run' as const, note: 'not run: a smaller size did not finish' } : await repeatQuick(() => timeCliRun(root, size, CAP_MS));
    rows.push({ size, m });
    say(`cli ${size}: ${m.status} ${m.ms?.toFixed(0) ?? ''}`);
  }
  const real = await realLifecycle(CLI_SIZES.at(-1)!, 1);
  say(`cli ${CLI_SIZES.at(-1)} node:net: ${real.status} ${real.ms?.toFixed(0) ?? ''}`);
  run.cli = { rows, real };
  if (env.BENCH_PROFILE !== '0') {
    say(`profiling cli ${CLI_SIZES.at(-1)}…`);
    run.cli.profile = await profileCliRun(root, CLI_SIZES.at(-1)!, CAP_MS);
  }
}

// Profiles of the workloads whose targets were missed.
const missed = new Set(targets(run).filter((t) => t.met === false).map((t) => t.workload));
if (env.BENCH_PROFILE !== '0' && missed.size > 0) {
  const jobs: Array<[string, Job]> = [];
  const lifecycleSize = SIZES.includes(10_000) ? 10_000 : SIZES.at(-1)!;
  const trace = !run.traceOff;
  if (missed.has('lifecycle')) {
    jobs.push([`lifecycle, ${lifecycleSize.toLocaleString('en-US')} sequential, trace ${trace ? 'on' : 'off'}`, { kind: 'lifecycle', connections: lifecycleSize, concurrency: 1, trace, capMs: 0 }]);
    jobs.push([`lifecycle, ${lifecycleSize.toLocaleString('en-US')} 100 at a time, trace ${trace ? 'on' : 'off'}`, { kind: 'lifecycle', connections: lifecycleSize, concurrency: 100, trace, capMs: 0 }]);
  }
  if (missed.has('bulk')) jobs.push([`bulk ${BULK_BYTES / 2 ** 20} MB, trace on`, { kind: 'bulk', bytes: BULK_BYTES, trace: true, capMs: 0 }]);
  if (missed.has('bulk') && run.traceOff) jobs.push([`bulk ${BULK_BYTES / 2 ** 20} MB, trace off`, { kind: 'bulk', bytes: BULK_BYTES, trace: false, capMs: 0 }]);
  if (missed.has('idle')) jobs.push([`idle setup, ${IDLE[0]!.toLocaleString('en-US')} connections`, { kind: 'idle', connections: IDLE[0]!, trace, capMs: 0 }]);
  if (missed.has('flood')) jobs.push([`SYN flood, ${FLOOD_SYNS.toLocaleString('en-US')} SYNs`, { kind: 'flood', syns: FLOOD_SYNS, clients: FLOOD_CLIENTS, trace, capMs: 0 }]);
  for (const [what, job] of jobs) {
    say(`profiling ${what}…`);
    run.profiles.push({ what, top: await profile(job) });
  }
}
run.loadAtEnd = loadavg() as [number, number, number];
const report = writeReport(run, { write: !customised || env.BENCH_WRITE === '1', root });
process.stdout.write(`\n${report.table}\n`);
say(report.written.length > 0 ? `wrote ${report.written.join(', ')}` : 'reduced run (BENCH_* set): docs/benchmarks.md and README.md left as they were');
